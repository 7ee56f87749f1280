"""The layout of the engine's arrays: which row of which array holds which variable.

The state (:class:`~sim.state.TeamState`), the week's events
(:class:`~sim.events.WeekEvents`) and the per-seat parameters keep variables of one kind
in one array, a row per variable, replicate axis first. These names are the rows; the
mechanisms read ``s.member[r, STRESS]`` as "the stress of every member of replicate r".
"""

from __future__ import annotations

#: Member variables, rows of ``TeamState.member``.
MEMBER = ("perspective",         # 1 life world ... 0 system world
          "anchor",              # view the member is pulled back to
          "origin",              # view at entry (training or lived experience)
          "anchor_strength",     # per-week pull back to the anchor
          "feedback_tolerance",  # P(feedback taken as about the work)
          "stress",              # in [0, 1]
          "production",          # EBE share of time in regular caseload work
          "seniority",           # weeks of experience in the role
          "tenure",              # weeks in this team
          "vacancy",             # weeks until a vacant seat is filled
          "authority")           # an EBE's experiential authority (0 for professionals)
(PERSPECTIVE, ANCHOR, ORIGIN, ANCHOR_STRENGTH, FEEDBACK_TOLERANCE, STRESS, PRODUCTION,
 SENIORITY, TENURE, VACANCY, AUTHORITY) = range(len(MEMBER))
#: Yes/no member variables, rows of ``TeamState.flag``: trained as EBE, seat filled.
FLAG = ("trained", "present")
TRAINED, PRESENT = range(len(FLAG))
#: Relations, rows of ``TeamState.relation``: trust of i in j, unspoken irritation of i
#: toward j.
RELATION = ("trust", "irritation")
TRUST, IRRITATION = range(len(RELATION))
#: Team variables, columns of ``TeamState.team``: crisis pressure on top of the caseload,
#: current workload pressure, risk avoidance, time and room for dialogue and
#: recovery-oriented work; the team's rules, which critique can change (the experiential
#: discount at the case review, the risk shading of decisions, the clarity of the EBE
#: role) and the number of rule changes so far.
TEAM = ("shock", "workload_pressure", "risk_avoidance", "room", "experiential_discount",
        "risk_shading", "role_clarity", "rules_changed")
(SHOCK, WORKLOAD_PRESSURE, RISK_AVOIDANCE, ROOM, RULE_DISCOUNT, RULE_SHADING, RULE_CLARITY,
 RULES_CHANGED) = range(len(TEAM))

#: Per-seat arrays of a point, rows of ``Parameters.seat``: voice weight (hierarchy **
#: steepness), mean view and spread of the seat's role at hire (an ally's own for ally
#: seats), mean feedback tolerance, exposure to the team's pull, 1 for an ally seat.
SEAT = ("weight", "perspective_mean", "perspective_spread", "tolerance_mean", "exposure",
        "ally")
WEIGHT, PERSPECTIVE_MEAN, PERSPECTIVE_SPREAD, TOLERANCE_MEAN, EXPOSURE, ALLY = range(len(SEAT))
#: Per-pair arrays of a point, rows of ``Parameters.pair``: trust of i in j at the start
#: (0 on the diagonal), how closely i and j work together (the team's structure: 1 for
#: everyone in a full team, less outside a duo or care line), and how much i hears j in
#: everyday work (working together, less across the line for an external or
#: separate-team EBE).
PAIR = ("initial_trust", "together", "contact")
INITIAL_TRUST, TOGETHER, CONTACT = range(len(PAIR))

#: Team events, columns of ``WeekEvents.week``: a crisis week (0/1), a deeper dialogue
#: held (0/1), the mean orientation of the case decisions, the EBEs' share of them.
WEEK_EVENT = ("crisis", "dialogue", "decision", "experiential_share")
CRISIS, DIALOGUE, DECISION, EXPERIENTIAL_SHARE = range(len(WEEK_EVENT))
#: Seat numbers of the case review, rows of ``WeekEvents.review``: how much of an EBE's
#: formal weight counts, rejection of the EBE as a deviate.
REVIEW = ("acceptance", "rejection")
ACCEPTANCE, REJECTION = range(len(REVIEW))
#: Seat events, rows of ``WeekEvents.seat``: at the week's case review, critique raised,
#: critique taken up, left the team, started in the team (EBEs and professionals alike),
#: retains the perspective (an EBE, as observed at the end of the week).
SEAT_EVENT = ("reviewed", "critique_raised", "critique_accepted", "exited", "hired", "retains")
REVIEWED, RAISED, ACCEPTED, EXITED, HIRED, RETAINS = range(len(SEAT_EVENT))
#: Feedback events, rows of ``WeekEvents.feedback``, in giver-receiver order.
FEEDBACK = ("giver", "receiver", "kind")
GIVER, RECEIVER, KIND = range(len(FEEDBACK))
WITHHELD, ATTACK, CONTENT = 0, 1, 2  # kinds: withheld, taken as an attack, as content

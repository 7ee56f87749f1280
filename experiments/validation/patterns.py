"""The validation patterns: what the field reports that the model was not built to show.

This module is the one source of the pattern definitions. The report
(``docs/validation.md``) and the pattern list of the ODD (section 1) are generated from it,
and a test fails when either drifts. Each pattern

* comes from a seed document (cited by section heading, the seeds have no page numbers)
  or a published study;
* emerges from several interacting submodels, some of which push against it, rather
  than from the sign of one equation (the mechanism-sign checks live in
  ``tests/test_model_mechanisms.py``);
* sets nothing: no parameter was tuned to it (the calibration targets are in
  ``docs/calibration.md``);
* states, for each check, the smallest effect that matters and why. A check passes only
  when the whole 95% interval lies beyond that minimum.

The rules were committed before the first run of any of these patterns; the report
names the commit of the rules and the commit of the code it ran on. A failing pattern is
a finding about the model, never a reason to change its rule.

Arms are overrides of the defaults (a FACT team, one EBE, normal pressure). Every arm of
a run uses the same root seed and replicate indices (common random numbers), so
differences are paired per replicate.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Every arm as Hydra overrides of the defaults.
ARMS: dict[str, tuple[str, ...]] = {
    "default": (),
    "two_hires": ("scenario=two_hires",),
    "high_pressure": ("pressure=high",),
    "high_pressure_two_hires": ("pressure=high", "scenario=two_hires"),
    "calm": ("pressure=calm",),
    "room": ("organisation.policy_seat=1.0", "organisation.role_clarity=0.9",
             "ebe.seniority_weeks=104"),
    "attack_prone": ("ebe.feedback_tolerance=0.2",),
    "thick_skinned": ("ebe.feedback_tolerance=0.8",),
    "authority": ("organisation.experiential_authority=0.8",),
    "dialogue": ("organisation.dialogue_culture=0.8",),
    "weak_anchor_employed": ("ebe.anchor_strength=0.08",),
    "weak_anchor_external": ("ebe.anchor_strength=0.08", "ebe.employment=external"),
    "firm_anchor_employed": ("ebe.anchor_strength=0.3",),
    "firm_anchor_external": ("ebe.anchor_strength=0.3", "ebe.employment=external"),
    "junior": ("ebe.seniority_weeks=0",),
    "senior": ("ebe.seniority_weeks=208",),
}

AT_LEAST, AT_MOST = "at least", "at most"


@dataclass(frozen=True)
class Rule:
    """The smallest effect that matters: the whole 95% interval must lie beyond it."""

    side: str           # AT_LEAST: lower bound above the threshold; AT_MOST: upper below
    threshold: float
    reason: str         # why this much, and not less, matters

    def passes(self, low: float, high: float) -> bool:
        return low > self.threshold if self.side == AT_LEAST else high < self.threshold

    def margin(self, estimate: float) -> float:
        """Distance of the estimate from the threshold, positive on the passing side."""
        sign = 1.0 if self.side == AT_LEAST else -1.0
        return sign * (estimate - self.threshold)

    @property
    def text(self) -> str:
        bound = "lower" if self.side == AT_LEAST else "upper"
        return f"95% CI {bound} bound {'>' if self.side == AT_LEAST else '<'} {self.threshold:g}"


#: How a check combines its arms: the mean of one arm (a level), the mean paired
#: difference treated - reference, or the ratio of the two arms' means.
LEVEL, DIFFERENCE, RATIO = "level", "difference", "ratio"


@dataclass(frozen=True)
class Check:
    """One pre-stated test of a pattern: a measure, the arms it compares, a rule."""

    text: str
    measure: str                 # a name in experiments.validation.measures.MEASURES
    statistic: str               # LEVEL (one arm), DIFFERENCE or RATIO (treated, reference)
    arms: tuple[str, ...]
    rule: Rule

    def __post_init__(self) -> None:
        wanted = 1 if self.statistic == LEVEL else 2
        if len(self.arms) != wanted or self.statistic not in (LEVEL, DIFFERENCE, RATIO):
            raise ValueError(f"{self.text}: a {self.statistic} needs {wanted} arm(s)")
        unknown = [a for a in self.arms if a not in ARMS]
        if unknown:
            raise ValueError(f"{self.text}: unknown arm {unknown[0]}")


@dataclass(frozen=True)
class Pattern:
    """A pattern from the field, the mechanisms it rests on, and its checks."""

    number: int
    claim: str
    source: str           # seed document and section, or a published study
    odd: str              # the ODD section-1 pattern it tests (P1-P10)
    mechanisms: str       # the submodels that interact, including those that push against
    checks: tuple[Check, ...]

    @property
    def arms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(arm for check in self.checks for arm in check.arms))


TENTH_OF_TEAMS = ("one team in ten is the smallest difference a manager would weigh against "
                  "a salary or a reorganisation; the seed states it as advice for that choice")

PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        1, "Hire several, not just one: two EBEs keep the experience perspective alive at "
           "two years clearly more often than one, at normal and at high pressure",
        "seed 002, section 'Niet slechts één' (\"neem er meerdere aan, niet slechts één. "
        "Want daar vraag je dan wel heel veel van\")", "P2",
        "social_influence (the majority's impact divided among the EBE and allies, Latané; "
        "peer renewal of anchors), stress (isolation) and ebe_exit, rehiring (a second seat "
        "holds the perspective through a vacancy); against it: more cross-line pairs for "
        "withheld feedback and identity threat, and a more distinct pair is rejected more "
        "at the case review",
        (Check("P(alive at 104 weeks), two EBEs minus one, normal pressure", "survived",
               DIFFERENCE, ("two_hires", "default"), Rule(AT_LEAST, 0.10, TENTH_OF_TEAMS)),
         Check("P(alive at 104 weeks), two EBEs minus one, high pressure", "survived",
               DIFFERENCE, ("high_pressure_two_hires", "high_pressure"),
               Rule(AT_LEAST, 0.10, TENTH_OF_TEAMS)))),
    Pattern(
        2, "A lone EBE in a high-load team loses the perspective mainly by taking on the "
           "colour of the environment, not by leaving",
        "seed 001, section 'Voor je het weet is het ervaringsdeskundig perspectief "
        "verdwenen' (a lone EBE with high workload \"leidt al snel tot de kleur aannemen "
        "van die omgeving\")", "P1",
        "competing risks: assimilation (social_influence with closure under time pressure, "
        "production_pull and production assimilation, anchor drift) against departure "
        "(stress from strain, attacks and rejected critique; ebe_exit with the extra-task "
        "odds ratio); the speed of loss was a calibration target, its route was not",
        (Check("share of first losses that are assimilation (not a vacancy), one EBE, high "
               "pressure", "loss_by_assimilation", LEVEL, ("high_pressure",),
               Rule(AT_LEAST, 0.60, "the seed names assimilation as the way the perspective "
                    "disappears; 'mainly' needs a clear majority, so at least three losses in "
                    "five, not a coin toss")),)),
    Pattern(
        3, "A lone EBE barely moves the team: after two years the professionals have closed "
           "less than a tenth of the gap to the life-world view the EBE brought in",
        "seed 004, 'Conclusies (samenvattend)' (\"ervaringskennis en "
        "ervaringsdeskundigen hebben een bescheiden plek\"); seed 002, section "
        "'Secundaire proces' (the critical role still has to be strengthened)", "P3",
        "bridge_critique (raised less under production, accepted by regard and against "
        "rejection, moves professionals' anchors) accumulated over two years, against "
        "social_influence pulling professionals back to their training and the team norm; "
        "ebe_exit and vacancies interrupt critique",
        (Check("share of the week-0 gap closed by the professionals at 104 weeks, one EBE",
               "gap_closed", LEVEL, ("default",),
               Rule(AT_MOST, 0.10, "'a modest place' means the team stays near its "
                    "starting view; a tenth of the gap is about 0.05 on the perspective "
                    "scale, the spread of views within one discipline")),)),
    Pattern(
        4, "With room, a policy seat and seniority the system adapts: the team moves toward "
           "the life world clearly more than with the defaults",
        "seed 002, sections 'Secundaire proces', 'Meer ruimte' and 'Zekere senioriteit'; "
        "seed 003, recommendation 4 (embed at every layer, also the policy level)", "P9",
        "bridge_critique (policy seat, seniority, less production with a clear role), "
        "case_review acceptance (regard from trust and irritation, rejection of a distinct "
        "EBE), identity_threat (softened by role clarity), social_influence (a senior EBE "
        "stays distinct, so is rejected more) and turnover",
        (Check("share of the week-0 gap closed at 104 weeks: policy seat 1, role clarity "
               "0.9, two years' seniority, minus defaults", "gap_closed", DIFFERENCE,
               ("room", "default"),
               Rule(AT_LEAST, 0.05, "'the system adapts to the clients' asks for a change "
                    "the team can notice: at least a twentieth of the gap more (about 0.025 "
                    "on the perspective scale, half a discipline's spread)")),)),
    Pattern(
        5, "In a high-load team experiential knowledge has little room in decisions: the "
           "EBEs' share of decision weight is at least a quarter lower than in a calm team",
        "seed 004, slide 'Beheersing en controle i.p.v. eigen regie' (\"weinig ruimte voor "
        "herstelgericht werken en ervaringsdeskundigheid\")", "P4",
        "workload_pressure (room, risk avoidance), case_review (voice with room, rejection "
        "by closure under time pressure, final responsibility on risky cases), stress "
        "(voice), ebe_exit (vacancies carry no share); against it: a faster-assimilated EBE "
        "is less distinct and so rejected less. Three of these paths push the same way by "
        "construction, so this pattern tests the size, not the direction",
        (Check("experiential share of decision weight, high pressure / calm",
               "experiential_share", RATIO, ("high_pressure", "calm"),
               Rule(AT_MOST, 0.75, "'little room' is a large reduction, not a marginal one: "
                    "at least a quarter less")),)),
    Pattern(
        6, "Friction makes feedback dry up: where EBEs more often take feedback as a "
           "personal attack, professionals withhold more of the feedback they owe them",
        "seed 000, sections 'Frictie', 'Zijden handschoentjes' (\"Het gevolg is dat het "
        "geven van feedback dan maar achterwege gelaten wordt\") and 'Persoonlijke aanval'",
        "P6",
        "feedback_exchange (attacks cost the receiver's trust in the giver and add the "
        "receiver's irritation; willingness to give rests on the giver's trust), irritation "
        "erosion of trust, dialogue; against it: fewer attacks when less is given, and "
        "content feedback rebuilds trust on both sides",
        (Check("share of feedback occasions toward EBEs that are withheld, EBE feedback "
               "tolerance 0.2 minus 0.8", "withheld_share_to_ebe", DIFFERENCE,
               ("attack_prone", "thick_skinned"),
               Rule(AT_LEAST, 0.05, "the seed calls withholding *the* consequence of "
                    "friction; five points of the occasions (about one talk in twenty) is the "
                    "least a team would notice")),)),
    Pattern(
        7, "EBE and professionals do not become one team: two years after hire, trust "
           "across the EBE line is still clearly below trust among the professionals",
        "seed 000, section 'Niet in hetzelfde team' (incumbents' identity is touched by a "
        "newcomer \"met een compleet andere achtergrond\"; they do not see themselves as one "
        "team, \"zelfs niet als ze dat formeel wel zijn\")", "P8",
        "identity_threat (fading with tenure), feedback_exchange (silk gloves, attacks, "
        "content feedback builds trust), irritation erosion, dialogue (builds trust for "
        "all pairs), rehiring (a new EBE starts again)",
        (Check("trust among professionals minus trust across the EBE line at 104 weeks "
               "(TeamModel agents)", "trust_gap", LEVEL, ("default",),
               Rule(AT_LEAST, 0.10, "half of the assumed gap at hire (0.7 against 0.5): "
                    "'not one team' after two years means at least half of the newcomer's "
                    "distance is still there")),)),
    Pattern(
        8, "Over-deference to the EBE comes with more unspoken irritation across the line, "
           "not less",
        "seed 000, sections 'De macht van de ervaring' (\"Zeggen tien professionals dat "
        "linksaf ... dan gaat iedereen naar rechts\"), 'Zijden handschoentjes' and "
        "'Effectiever maken' (swept under the rug, \"Dat levert irritatie op\")", "P7",
        "experiential_authority (feedback toward the EBE less likely, the EBE's weight "
        "larger), feedback_exchange (withheld feedback builds the giver's irritation; "
        "attacks build the receiver's), case_review and social_influence (decisions move "
        "toward the EBE, so professionals drift closer and identity threat eases); against "
        "it: fewer attacks and less identity threat",
        (Check("irritation across the EBE line, experiential authority 0.8 / 0",
               "irritation_cross", RATIO, ("authority", "default"),
               Rule(AT_LEAST, 1.20, "the seed presents irritation as what over-deference "
                    "costs; a fifth more is the least that changes how the cooperation "
                    "feels")),)),
    Pattern(
        9, "A practice of deeper dialogue makes friction productive: the EBE's knowledge "
           "carries more weight in the team's decisions",
        "seed 000, sections 'Effectiever maken' and 'Dieper niveau' (\"Om wrijving te "
        "krijgen die de samenwerking wél versterkt\")", "P5",
        "dialogue and feedback_exchange (irritation resolved, trust built, fewer withheld "
        "and fewer attacks), case_review (the professionals' regard, trust times "
        "(1 - irritation), lets the EBE's weight in), stress and ebe_exit (less resentment); "
        "against it: more trust also means the EBE listens more to the professionals",
        (Check("experiential share of decision weight, dialogue culture 0.8 / 0.2",
               "experiential_share", RATIO, ("dialogue", "default"),
               Rule(AT_LEAST, 1.10, "'gets you halfway' describes a visible change; a "
                    "tenth more weight is the least a team would see in its decisions")),)),
    Pattern(
        10, "An employed EBE loses the independent bridge-builder's perspective unless they "
            "stand firm: external beats employed for a weakly anchored EBE, hardly for a "
            "firm one",
        "seed 000, sections 'Onafhankelijker' and 'Het allermooiste' (employed, the bridge "
        "value fades \"Tenzij de persoon in kwestie heel stevig in de schoenen staat\"); "
        "Alberta & Ploski 2014 (peer staff in treatment organisations are more often "
        "co-opted than in peer organisations)", "P9",
        "social_influence (exposure and contact of an external EBE, the anchor pull "
        "against the norm), production_pull (an external EBE carries less caseload), "
        "bridge_critique, stress and ebe_exit; the pattern is an interaction: firmness and "
        "independence substitute for each other",
        (Check("P(alive at 104 weeks), external minus employed, weak anchor (0.08)",
               "survived", DIFFERENCE, ("weak_anchor_external", "weak_anchor_employed"),
               Rule(AT_LEAST, 0.10, TENTH_OF_TEAMS)),
         Check("P(alive at 104 weeks), external minus employed, firm anchor (0.3)",
               "survived", DIFFERENCE, ("firm_anchor_external", "firm_anchor_employed"),
               Rule(AT_MOST, 0.05, "'unless they stand firm': for a firm EBE the employer "
                    "should matter less than half the smallest difference that counts")))),
    Pattern(
        11, "The critical role needs seniority: a senior EBE gets clearly more critique of "
            "rules taken up than a starter",
        "seed 002, section 'Zekere senioriteit' (\"Om de kritische en systeem veranderende "
        "rol te kunnen vervullen, moeten ervaringsdeskundigen een zekere senioriteit "
        "meebrengen\")", "P9",
        "bridge_critique (seniority raises how often critique is raised), social_influence "
        "(seniority anchors the view, so the senior EBE stays distinct), case_review "
        "(a distinct EBE is rejected more, which lowers acceptance), stress and ebe_exit",
        (Check("critiques accepted over two years, seniority at hire 4 years / 0",
               "critique_accepted", RATIO, ("senior", "junior"),
               Rule(AT_LEAST, 1.25, "'needs seniority' says the role largely fails without "
                    "it; a quarter more accepted critique is a modest reading of that")),)),
)
BY_NUMBER = {p.number: p for p in PATTERNS}

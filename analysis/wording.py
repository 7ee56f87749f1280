"""The sentences of the policy brief, in English and Dutch.

Each entry is a template whose fields the brief fills with numbers from the data
(:mod:`analysis.findings`). Dutch uses the field's terms: *ervaringsdeskundige* (expert by
experience, EBE), *ervaringsperspectief*, *leefwereld* (life world), *systeemwereld*
(system world), FACT-team, *intervisie*.
"""

from __future__ import annotations

from analysis.language import check
from analysis.names import Name

COUNTS = {0: Name("no", "geen"), 1: Name("one", "één"), 2: Name("two", "twee"),
          3: Name("three", "drie"), 4: Name("four", "vier"), 5: Name("five", "vijf"),
          6: Name("six", "zes")}
ORDINALS = {2: Name("second", "tweede"), 3: Name("third", "derde"),
            4: Name("fourth", "vierde"), 5: Name("fifth", "vijfde"), 6: Name("sixth", "zesde")}
#: 'at high pressure' inside a sentence (Dutch inflects the adjective).
PRESSURE_AT = {"calm": Name("in a calm team", "in een rustig team"),
               "normal": Name("at normal pressure", "bij normale werkdruk"),
               "high": Name("at high pressure", "bij hoge werkdruk")}
#: The context of a sentence when the study has one situation only.
IN_THE_MODEL = Name("in the model", "in het model")
#: What an effect's interval says against the minimum important difference
#: (:func:`analysis.compare.verdict`).
VERDICTS = {"gain": Name("a gain", "winst"), "loss": Name("a loss", "verlies"),
            "none": Name("no meaningful difference", "geen betekenisvol verschil"),
            "unclear": Name("unclear (more simulation runs needed)",
                            "onduidelijk (meer simulaties nodig)")}
AND = Name("and", "en")
WITH = Name("with", "met")
OF_TEAMS = Name("of simulated teams", "van de gesimuleerde teams")

TEXT: dict[str, Name] = {
    # ------------------------------------------------------------------ first screen
    "question/hires": Name(
        "Does the experience perspective survive when a team hires one expert by "
        "experience, and does hiring more than one help?",
        "Blijft het ervaringsperspectief bestaan als een team één ervaringsdeskundige "
        "aanneemt, en helpt het om er meer dan één aan te nemen?"),
    "question/levers": Name(
        "Which measure best helps a single expert by experience keep the experience "
        "perspective alive in the team?",
        "Welke maatregel helpt één ervaringsdeskundige het best om het "
        "ervaringsperspectief in het team levend te houden?"),
    "intro/hires": Name(
        "Experts by experience (EBEs) bring a life-world view, rooted in lived experience, "
        "into mental-health teams. Field reports warn that a lone EBE in a busy team soon "
        "'takes on the colour of the environment', and advise: hire several, not just one. "
        "This brief shows what the teamsim simulation model says about that advice. The "
        "perspective counts as alive while an EBE keeps it or the team has taken it over.",
        "Ervaringsdeskundigen brengen een blik uit de leefwereld, geworteld in eigen "
        "ervaring, in ggz-teams. Uit de praktijk komt de waarschuwing dat één "
        "ervaringsdeskundige in een druk team al snel 'de kleur van de omgeving aanneemt', "
        "met het advies: neem er meerdere aan, niet één. Dit rapport laat zien wat het "
        "simulatiemodel teamsim over dat advies zegt. Het perspectief telt als levend zolang "
        "een ervaringsdeskundige het vasthoudt of het team het heeft overgenomen."),
    "intro/levers": Name(
        "Managers can do more than hire: intervision, coaching, a clear role, a seat where "
        "policy is made, more professional autonomy, a culture of open dialogue, an external "
        "or a separately organised expert by experience (EBE). This brief compares each "
        "measure with one EBE and no measure, on the same simulated teams. The perspective "
        "counts as alive while an EBE keeps it or the team has taken it over.",
        "Managers kunnen meer doen dan mensen aannemen: intervisie, coaching, een duidelijke "
        "rol, een plek aan de beleidstafel, meer professionele autonomie, een cultuur van "
        "open dialoog, een externe of een apart georganiseerde ervaringsdeskundige. Dit "
        "rapport vergelijkt elke maatregel met één ervaringsdeskundige zonder maatregel, op "
        "dezelfde gesimuleerde teams. Het perspectief telt als levend zolang een "
        "ervaringsdeskundige het vasthoudt of het team het heeft overgenomen."),
    "answer/at_least": Name(
        "Hire at least {k}. In the model, with {k} EBEs the perspective was still alive "
        "after {when} in {alive_k}, against {alive_prev} with {prev}.",
        "Neem minstens {k} ervaringsdeskundigen aan. In het model was het "
        "ervaringsperspectief met {k} ervaringsdeskundigen na {when} nog levend in "
        "{alive_k}, tegenover {alive_prev} met {prev}."),
    "answer/no_further": Name(
        " A {ordinal} EBE made no meaningful further difference.",
        " Een {ordinal} ervaringsdeskundige maakte geen betekenisvol verschil meer."),
    "answer/enough": Name(
        "{subject} {verb} enough in this model: with {next_count}, the perspective was alive "
        "after {when} in {alive_next}, against {alive_k} with {k}, which is no meaningful "
        "difference.",
        "{subject} {verb} in dit model genoeg: met {next_count} was het ervaringsperspectief "
        "na {when} levend in {alive_next}, tegenover {alive_k} met {k}; dat is geen "
        "betekenisvol verschil."),
    "answer/still_rising": Name(
        "Hire as many as you can: every extra EBE up to {k} still made a meaningful "
        "difference. With {k} EBEs the perspective was still alive after {when} in "
        "{alive_k}, against {alive_prev} with {prev}.",
        "Neem er zoveel aan als u kunt: elke extra ervaringsdeskundige tot {k} maakte nog "
        "een betekenisvol verschil. Met {k} ervaringsdeskundigen was het "
        "ervaringsperspectief na {when} nog levend in {alive_k}, tegenover {alive_prev} met "
        "{prev}."),
    "answer/best_lever": Name(
        "{best} helped most: with it the perspective was still alive after "
        "{when} in {alive_best}, against {alive_base} with one EBE and no measure.",
        "{best} hielp het meest: daarmee was het "
        "ervaringsperspectief na {when} nog levend in {alive_best}, tegenover {alive_base} "
        "met één ervaringsdeskundige zonder maatregel."),
    "answer/best_without_hiring": Name(
        " Of the measures that add no one, {best} helped most ({alive_best}).",
        " Van de maatregelen zonder extra mensen hielp {best} het meest ({alive_best})."),
    "answer/no_lever_helps": Name(
        "No measure made a meaningful difference for a lone EBE in this model: the "
        "perspective was alive after {when} in {alive_base} without one, and no measure "
        "moved that by more than {mid} percentage points for certain.",
        "Geen enkele maatregel maakte in dit model een betekenisvol verschil voor één "
        "ervaringsdeskundige: zonder maatregel was het ervaringsperspectief na {when} levend "
        "in {alive_base}, en geen maatregel veranderde dat aantoonbaar met meer dan {mid} "
        "procentpunten."),
    "answer/unclear_next": Name(
        "Not yet clear: with {n} simulated teams per situation, this study cannot tell "
        "whether a {ordinal} EBE makes a meaningful difference{where}. Simulate more teams "
        "before deciding{needed}.",
        "Nog niet duidelijk: met {n} gesimuleerde teams per situatie kan deze studie niet "
        "zeggen of een {ordinal} ervaringsdeskundige een betekenisvol verschil maakt{where}. "
        "Simuleer meer teams voordat u besluit{needed}."),
    "answer/further_unclear": Name(
        " Whether a {ordinal} EBE makes a further meaningful difference{where} is unclear "
        "with {n} simulated teams per situation{needed}.",
        " Of een {ordinal} ervaringsdeskundige nog een betekenisvol verschil maakt{where}, is "
        "met {n} gesimuleerde teams per situatie onduidelijk{needed}."),
    "answer/levers_unclear": Name(
        "Not yet clear: with {n} simulated teams per situation no measure made a clear "
        "difference for a lone EBE, but for {names} the effect is unclear. Simulate more "
        "teams before deciding{needed}.",
        "Nog niet duidelijk: met {n} gesimuleerde teams per situatie maakte geen enkele "
        "maatregel een duidelijk verschil voor één ervaringsdeskundige, maar voor {names} is "
        "het effect onduidelijk. Simuleer meer teams voordat u besluit{needed}."),
    "answer/above_unclear": Name(
        " Whether {names} might help as much or more is unclear with {n} simulated teams per "
        "situation{needed}.",
        " Of {names} evenveel of meer zou helpen, is met {n} gesimuleerde teams per situatie "
        "onduidelijk{needed}."),
    "answer/needed": Name("; about {needed} per situation would tell",
                          "; ongeveer {needed} per situatie zou het uitwijzen"),
    "noise/wide": Name(
        "How sure is this? Each situation was simulated {n} times, and the simulation's own "
        "noise is too wide to answer every question: the 95% intervals in brackets are up to "
        "±{w} percentage points wide, more than the minimum important difference of {mid} "
        "percentage points. Only the differences called a gain or a loss are clear.",
        "Hoe zeker is dit? Elke situatie is {n} keer gesimuleerd, en de ruis van de simulatie "
        "zelf is te groot om elke vraag te beantwoorden: de 95%-intervallen tussen haakjes "
        "zijn tot ±{w} procentpunten breed, meer dan het kleinste belangrijke verschil van "
        "{mid} procentpunten. Alleen de verschillen die winst of verlies heten, zijn "
        "duidelijk."),
    "unclear/one": Name(
        "With {n} simulated teams per situation, 1 of the {total} comparisons in this brief "
        "is unclear: its 95% interval reaches across ±{mid} percentage points, so it may or "
        "may not matter.",
        "Met {n} gesimuleerde teams per situatie is 1 van de {total} vergelijkingen in dit "
        "rapport onduidelijk: het 95%-interval reikt over ±{mid} procentpunten heen, dus het "
        "verschil kan ertoe doen of niet."),
    "unclear/many": Name(
        "With {n} simulated teams per situation, {k} of the {total} comparisons in this brief "
        "are unclear: their 95% intervals reach across ±{mid} percentage points, so they may "
        "or may not matter.",
        "Met {n} gesimuleerde teams per situatie zijn {k} van de {total} vergelijkingen in "
        "dit rapport onduidelijk: hun 95%-intervallen reiken over ±{mid} procentpunten heen, "
        "dus de verschillen kunnen ertoe doen of niet."),
    "unclear/settle": Name(
        " About {needed} simulated teams per situation {which} (intervals narrow with the "
        "square root of the number of runs).",
        " Met ongeveer {needed} gesimuleerde teams per situatie {which} (de intervallen "
        "worden smaller met de wortel van het aantal simulaties)."),
    "unclear/settle_it": Name("would settle it", "zou het duidelijk worden"),
    "unclear/settle_them": Name("would settle them", "zouden ze duidelijk worden"),
    "unclear/settle_some": Name("would settle {m} of them", "zouden er {m} duidelijk worden"),
    "unclear/far": Name(" {subject} so close to ±{mid} percentage points that far more would "
                        "be needed.",
                        " {subject} zo dicht bij ±{mid} procentpunten dat er veel meer nodig "
                        "zouden zijn."),
    "unclear/far_it": Name("It lies", "Het ligt"),
    "unclear/far_them": Name("They lie", "Ze liggen"),
    "unclear/far_others": Name("The others lie", "De andere liggen"),
    "noise": Name(
        "How sure is this? Each situation was simulated {n} times, so the simulation's own "
        "noise is small: the 95% intervals in brackets are at most ±{w} percentage points "
        "wide.",
        "Hoe zeker is dit? Elke situatie is {n} keer gesimuleerd, dus de ruis van de "
        "simulatie zelf is klein: de 95%-intervallen tussen haakjes zijn hooguit ±{w} "
        "procentpunten breed."),
    "calibration/pending": Name(
        "What the model's calibration leaves open has not been measured yet. The model's "
        "mechanisms are set from field reports and plausible values, not fitted to data on "
        "real teams; how far this advice depends on those settings is still being examined "
        "(see the validation report). Until then, trust the direction of the advice more "
        "than the exact percentages.",
        "Wat de kalibratie van het model openlaat, is nog niet gemeten. De mechanismen van "
        "het model zijn ingesteld op basis van praktijkverslagen en aannemelijke waarden, "
        "niet geschat op gegevens van echte teams; hoe sterk dit advies van die instellingen "
        "afhangt, wordt nog onderzocht (zie het validatierapport). Vertrouw tot die tijd meer "
        "op de richting van het advies dan op de precieze percentages."),
    "calibration/claim": Name(
        "What the model's calibration leaves open: the advantage of {what} held in {holds} "
        "of {variants} variants of the model's assumptions.",
        "Wat de kalibratie van het model openlaat: het voordeel van {what} bleef overeind in "
        "{holds} van de {variants} varianten van de aannames van het model."),
    "calibration/claim_next": Name(
        "The advantage of {what} held in {holds} of {variants} variants.",
        "Het voordeel van {what} bleef overeind in {holds} van de {variants} varianten."),
    "calibration/range": Name(
        " Over the settings the calibration leaves open it ranged from {low} to {high} "
        "percentage points.",
        " Over de instellingen die de kalibratie openlaat, liep het uiteen van {low} tot "
        "{high} procentpunten."),
    "calibration/reverses": Name(" In part of that range it reversed.",
                                 " In een deel daarvan sloeg het om."),
    "calibration/never_reverses": Name(" It never reversed.", " Het sloeg nergens om."),
    "calibration/carried_by": Name(" It rests mostly on: {mechanisms}.",
                                   " Het rust vooral op: {mechanisms}."),
    "calibration/carried_by_same": Name(" It rests on the same mechanisms.",
                                        " Het rust op dezelfde mechanismen."),
    "calibration/basis": Name(
        "These robustness checks were run once, on the default study (a {team} over "
        "{when}, {pressures}{range}), not on this study's own runs.",
        "Deze robuustheidscontroles zijn één keer doorgerekend op de standaardstudie (een "
        "{team} over {when}, {pressures}{range}), niet op de simulaties van deze studie zelf."),
    "calibration/basis_range": Name(
        "; the range over the calibration's settings {pressures} only",
        "; het bereik over de instellingen van de kalibratie alleen {pressures}"),
    "calibration/basis_unknown": Name(
        "These robustness checks come from a separate analysis ({source}), not from this "
        "study's own runs.",
        "Deze robuustheidscontroles komen uit een aparte analyse ({source}), niet uit de "
        "simulaties van deze studie zelf."),
    "calibration/differs": Name(
        " This study differs from it ({differences}), so they describe the default study, "
        "not this one.",
        " Deze studie wijkt daarvan af ({differences}), dus ze gaan over de standaardstudie, "
        "niet over deze."),
    "differs/horizon": Name("over {when}", "over {when}"),
    "differs/team": Name("in a {team}", "in een {team}"),
    "differs/varied": Name("{what} varied", "{what} gevarieerd"),
    "calibration/missing_claim": Name(
        "The robustness analysis does not cover this claim yet; trust its direction more "
        "than its exact size.",
        "De robuustheidsanalyse dekt deze uitspraak nog niet; vertrouw meer op de richting "
        "dan op de precieze omvang."),
    "second_ebe": Name("a second EBE", "een tweede ervaringsdeskundige"),
    "mid_rule": Name(
        "We call a difference a gain or a loss only when its whole 95% interval lies beyond "
        "±{mid} percentage points (the minimum important difference, a setting of this "
        "brief), and no meaningful difference only when its whole interval lies within "
        "±{mid}; an interval that reaches across ±{mid} is unclear: the simulation was not "
        "run often enough to tell.",
        "We noemen een verschil alleen winst of verlies als het hele 95%-interval verder dan "
        "±{mid} procentpunten van nul ligt (het kleinste belangrijke verschil, een instelling "
        "van dit rapport), en alleen geen betekenisvol verschil als het hele interval binnen "
        "±{mid} procentpunten ligt; een interval dat over ±{mid} heen reikt, is onduidelijk: "
        "er is niet vaak genoeg gesimuleerd om het te zeggen."),
    # ------------------------------------------------------------------ what the model shows
    "heading/shows": Name("What the model shows", "Wat het model laat zien"),
    "heading/conditions": Name("Under which conditions does it work?",
                               "Onder welke omstandigheden werkt het?"),
    "heading/analysts": Name("For analysts: technical detail",
                             "Voor analisten: technische details"),
    "heading/figure": Name("In one picture", "In één beeld"),
    "alive/first": Name(
        "{context}with {count} EBE{s} the perspective was alive after {when} in {share} of "
        "simulated teams",
        "{context}was het ervaringsperspectief met {count} ervaringsdeskundige{n} na {when} "
        "levend in {share} van de gesimuleerde teams"),
    "alive/next": Name("with {count}, in {share}", "met {count} in {share}"),
    "step/first": Name(
        "{who} changed the share of teams where the perspective was alive after {when} by "
        "{diff} percentage points (95% interval {low} to {high}){context}, {verdict}",
        "{who} veranderde het aandeel teams met een levend ervaringsperspectief na {when} met "
        "{diff} procentpunten (95%-interval {low} tot {high}){context}, {verdict}"),
    "step/next": Name("by {diff} ({low} to {high}){context}, {verdict}",
                      "met {diff} ({low} tot {high}){context}, {verdict}"),
    "step/who": Name("A {ordinal} EBE", "Een {ordinal} ervaringsdeskundige"),
    "same_teams": Name(" (the same simulated teams compared).",
                       " (dezelfde gesimuleerde teams vergeleken)."),
    "how_lost": Name(
        "{context}with {count} EBE{s} the perspective was lost after {when} in {lost} of "
        "teams: in {assimilated} the EBE had taken on the system world's view "
        "(assimilation), in {vacant} no EBE was in post.",
        "{context}was het ervaringsperspectief met {count} ervaringsdeskundige{n} na {when} "
        "verloren in {lost} van de teams: in {assimilated} had de ervaringsdeskundige de "
        "blik van de systeemwereld overgenomen (assimilatie), in {vacant} was er geen "
        "ervaringsdeskundige in dienst."),
    "team": Name(
        "The team itself carried the perspective (the professionals' view moved at least "
        "halfway to the EBE's life-world view) in at most {diffused} of simulated teams; "
        "on average the professionals' view moved between {low} and {high} on a 0–1 scale "
        "from system world to life world.",
        "Het team zelf droeg het ervaringsperspectief (de blik van de professionals schoof "
        "minstens halverwege naar die van de ervaringsdeskundige) in hooguit {diffused} van "
        "de gesimuleerde teams; gemiddeld verschoof de blik van de professionals tussen "
        "{low} en {high} op een schaal van 0 (systeemwereld) tot 1 (leefwereld)."),
    "team/none": Name(
        "In none of the simulated teams did the team itself carry the perspective (the "
        "professionals' view moving at least halfway to the EBE's life-world view); on "
        "average the professionals' view moved between {low} and {high} on a 0–1 scale "
        "from system world to life world.",
        "In geen van de gesimuleerde teams droeg het team zelf het ervaringsperspectief (de "
        "blik van de professionals minstens halverwege naar die van de ervaringsdeskundige "
        "geschoven); gemiddeld verschoof de blik van de professionals tussen {low} en "
        "{high} op een schaal van 0 (systeemwereld) tot 1 (leefwereld)."),
    "baseline": Name(
        "With one EBE and no measure the perspective was alive after {when} in {shares}.",
        "Met één ervaringsdeskundige zonder maatregel was het ervaringsperspectief na {when} "
        "levend in {shares}."),
    "lever/first": Name(
        "{context}alive in {share} of teams, {diff} percentage points (95% interval {low} to "
        "{high}) against one EBE without a measure, {verdict}",
        "{context}levend in {share} van de teams, {diff} procentpunten (95%-interval {low} "
        "tot {high}) tegenover één ervaringsdeskundige zonder maatregel, {verdict}"),
    "lever/next": Name("{context}{share}, {diff} points ({low} to {high}), {verdict}",
                       "{context}{share}, {diff} punten ({low} tot {high}), {verdict}"),
    # ------------------------------------------------------------------ for analysts
    "hazard_ratio": Name(
        "Each extra EBE multiplied the weekly hazard of a first loss by {ratio} (95% "
        "interval {low} to {high}; Cox model stratified by situation, {n} simulated teams "
        "with at least one EBE).",
        "Elke extra ervaringsdeskundige vermenigvuldigde het wekelijkse risico op een eerste "
        "verlies met {ratio} (95%-interval {low} tot {high}; Cox-model gestratificeerd naar "
        "situatie, {n} gesimuleerde teams met minstens één ervaringsdeskundige)."),
    "hazard_ratio/no_loss": Name(
        "No simulated team with an EBE lost the perspective, so the Cox model has no hazard "
        "of a first loss to compare between numbers of EBEs.",
        "Geen gesimuleerd team met een ervaringsdeskundige verloor het ervaringsperspectief, "
        "dus het Cox-model heeft geen risico op een eerste verlies om te vergelijken."),
    "hazard_ratio/no_fit": Name(
        "Too few teams lost the perspective to estimate how each extra EBE changes the "
        "hazard of a first loss (the Cox model does not converge); simulate more teams.",
        "Te weinig teams verloren het ervaringsperspectief om te schatten hoe elke extra "
        "ervaringsdeskundige het risico op een eerste verlies verandert (het Cox-model "
        "convergeert niet); simuleer meer teams."),
    "no_ebe": Name(
        "Without an EBE there is no experience perspective in the team: those simulations "
        "are the reference point (0%).",
        "Zonder ervaringsdeskundige is er geen ervaringsperspectief in het team: die "
        "simulaties zijn het nulpunt (0%)."),
    "brackets": Name(
        "Percentages in brackets are 95% intervals: with the number of simulated teams used "
        "here, the model's true value lies in that range with 95% confidence. Differences "
        "compare the very same simulated teams with and without the change.",
        "Percentages tussen haakjes zijn 95%-intervallen: met het aantal gesimuleerde teams "
        "in dit rapport ligt de werkelijke modelwaarde met 95% zekerheid in dat bereik. "
        "Verschillen vergelijken precies dezelfde gesimuleerde teams met en zonder de "
        "verandering."),
    # ------------------------------------------------------------------ what it assumes
    "heading/assumes": Name("What the model assumes", "Wat het model aanneemt"),
    "heading/cannot": Name("What the model cannot say", "Wat het model niet kan zeggen"),
    "heading/definition": Name("When the perspective counts as alive",
                               "Wanneer het perspectief als levend telt"),
    "heading/numbers": Name("All numbers", "Alle getallen"),
    "heading/figures": Name("Figures", "Figuren"),
    "heading/statistics": Name("Survival, incidence and hazard",
                               "Overleving, incidentie en risico"),
    "heading/tests": Name("Log-rank tests between consecutive numbers of EBEs",
                          "Log-ranktoetsen tussen opeenvolgende aantallen "
                          "ervaringsdeskundigen"),
    "heading/effects": Name("Effects on the other outcomes", "Effecten op de andere uitkomsten"),
    "heading/sources": Name("Sources and data", "Bronnen en gegevens"),
    "heading/why": Name("Why this question", "Waarom deze vraag"),
    "assume/team": Name(
        "A team of {professionals} professionals ({team}: {disciplines}) meets weekly and "
        "decides {cases} cases; the {final} carries final responsibility.",
        "Een team van {professionals} professionals ({team}: {disciplines}) komt wekelijks "
        "bijeen en besluit over {cases} casussen; de {final} draagt de eindverantwoordelijkheid."),
    "assume/voice": Name(
        "Voices count by a knowledge hierarchy: the psychiatrist's weight is {psychiatrist}, "
        "an EBE's {ebe}; high risk and high pressure let the one with final responsibility "
        "dominate.",
        "Stemmen tellen volgens een kennishiërarchie: de psychiater weegt {psychiatrist}, een "
        "ervaringsdeskundige {ebe}; bij hoog risico en hoge druk domineert wie de "
        "eindverantwoordelijkheid draagt."),
    "assume/influence": Name(
        "Members drift toward the team's norm and are pulled back to their own anchor "
        "(Friedkin-Johnsen); a lone EBE is pulled harder than one with allies (Latané's "
        "social impact); peers, intervision, seniority and coaching strengthen the EBE's "
        "anchor, production work weakens it.",
        "Teamleden schuiven op naar de norm van het team en worden teruggetrokken naar hun "
        "eigen anker (Friedkin-Johnsen); één ervaringsdeskundige wordt harder meegetrokken "
        "dan een met bondgenoten (Latané's sociale impact); collega-ervaringsdeskundigen, "
        "intervisie, anciënniteit en coaching versterken het anker, productiewerk verzwakt "
        "het."),
    "assume/feedback": Name(
        "Feedback across the EBE-professional line is often withheld ('silk gloves') and "
        "then builds irritation; feedback can be taken as a personal attack; open dialogue "
        "resolves irritation.",
        "Feedback tussen ervaringsdeskundige en professional wordt vaak ingehouden "
        "('zijden handschoentjes') en bouwt dan irritatie op; feedback kan als persoonlijke "
        "aanval worden opgevat; open dialoog lost irritatie op."),
    "assume/exits": Name(
        "Stress from isolation, role ambiguity, production work and resentment raises the "
        "chance an EBE leaves; a vacancy is refilled after {delay} weeks{no_rehire}.",
        "Stress door isolement, een onduidelijke rol, productiewerk en wrevel vergroot de "
        "kans dat een ervaringsdeskundige vertrekt; een vacature wordt na {delay} weken "
        "weer vervuld{no_rehire}."),
    "assume/no_rehire": Name(" (here: not refilled)", " (hier: niet vervuld)"),
    "assume/runs": Name(
        "Each situation was simulated {replicates} times over {weeks} weeks ({points} "
        "situations), every situation on the same random teams.",
        "Elke situatie is {replicates} keer gesimuleerd over {weeks} weken ({points} "
        "situaties), elke situatie op dezelfde willekeurige teams."),
    "definition": Name(
        "The system world is the professionals' mean view at the start (week 0), on a scale "
        "from 0 (system world) to 1 (life world). An EBE retains the experience perspective "
        "while their own view stays at least {survival} of their entry distance from that "
        "reference. The team carries it once the professionals' mean view has moved toward "
        "the life world by at least {diffusion} of the week-0 gap between the EBEs and the "
        "professionals. Each week the perspective is retained (an EBE keeps it), diffused "
        "(no EBE keeps it but the team carries it), assimilated (EBEs are present, none keeps "
        "it, the team does not carry it) or vacant (no EBE in post, the team does not carry "
        "it). It is alive when it is retained or diffused; the headline counts the teams "
        "where it is alive at the end ({when}).",
        "De systeemwereld is de gemiddelde blik van de professionals bij de start (week 0), "
        "op een schaal van 0 (systeemwereld) tot 1 (leefwereld). Een ervaringsdeskundige "
        "behoudt het ervaringsperspectief zolang de eigen blik minstens {survival} van de "
        "afstand bij binnenkomst tot dat referentiepunt houdt. Het team draagt het zodra de "
        "gemiddelde blik van de professionals minstens {diffusion} van de afstand in week 0 "
        "tussen ervaringsdeskundigen en professionals naar de leefwereld is opgeschoven. "
        "Elke week is het perspectief behouden (een ervaringsdeskundige houdt het vast), "
        "overgedragen (niemand houdt het vast maar het team draagt het), geassimileerd (er "
        "zijn ervaringsdeskundigen, niemand houdt het vast, het team draagt het niet) of "
        "vacant (geen ervaringsdeskundige in dienst, het team draagt het niet). Het is levend "
        "als het behouden of overgedragen is; de kernuitkomst telt de teams waar het aan het "
        "eind ({when}) levend is."),
    "cannot/predict": Name(
        "It does not predict what will happen in a particular team: it explores what "
        "follows from assumptions drawn from field reports and the literature.",
        "Het voorspelt niet wat er in een bepaald team gebeurt: het verkent wat volgt uit "
        "aannames uit praktijkverslagen en de literatuur."),
    "cannot/rates": Name(
        "Its numbers are not measured rates: the mechanisms are set from qualitative sources "
        "and plausible values, not fitted to data on real teams. Read differences and "
        "directions more than exact percentages.",
        "De getallen zijn geen gemeten percentages: de mechanismen zijn ingesteld op basis "
        "van kwalitatieve bronnen en aannemelijke waarden, niet geschat op gegevens van "
        "echte teams. Lees verschillen en richtingen eerder dan precieze percentages."),
    "cannot/construct": Name(
        "'Alive' is a model construct: an EBE's view stays at least halfway as far from the "
        "system world as when they came in, or the team has moved halfway toward the life "
        "world. A real perspective can matter in ways this does not capture.",
        "'Levend' is een modelbegrip: de blik van een ervaringsdeskundige blijft minstens "
        "half zo ver van de systeemwereld als bij binnenkomst, of het team is halverwege "
        "naar de leefwereld opgeschoven. Een echt perspectief kan ertoe doen op manieren die "
        "dit niet vangt."),
    "cannot/intervals": Name(
        "The intervals show the uncertainty of the simulation (how many teams were "
        "simulated), not the uncertainty of the model's assumptions; the validation report "
        "and the sensitivity analysis show which assumptions matter most.",
        "De intervallen tonen de onzekerheid van de simulatie (hoeveel teams gesimuleerd "
        "zijn), niet de onzekerheid van de aannames; het validatierapport en de "
        "gevoeligheidsanalyse laten zien welke aannames het meest uitmaken."),
    "cannot/scope": Name(
        "It leaves out clients, families, the wider organisation and everything that "
        "happens outside the weekly team meeting and the team's daily contact.",
        "Het laat cliënten, naasten, de rest van de organisatie en alles buiten het "
        "wekelijkse teamoverleg en het dagelijkse contact in het team buiten beschouwing."),
    "link/odd": Name("the model description (ODD protocol)", "de modelbeschrijving (ODD-protocol)"),
    "link/validation": Name("the validation report", "het validatierapport"),
    "link/calibration": Name("the calibration", "de kalibratie"),
    "link/replicates": Name("replicates.parquet: one row per simulated team",
                            "replicates.parquet: één rij per gesimuleerd team"),
    "link/weekly": Name("weekly.parquet: week-by-week trajectories",
                        "weekly.parquet: verloop per week"),
    "link/manifest": Name("manifest.json: what was run", "manifest.json: wat er gedraaid is"),
    "link/points": Name("points/: one file per simulated situation",
                        "points/: één bestand per gesimuleerde situatie"),
    "links_note": Name(
        "These links are absolute. Documentation links point to {base}; set --docs-url (or "
        "TEAMSIM_DOCS_URL) to the repository's public address to make them work for anyone. "
        "Links to files open only on the computer that made this brief. Everything needed "
        "to read the brief is in it.",
        "Deze links zijn absoluut. Links naar de documentatie wijzen naar {base}; zet "
        "--docs-url (of TEAMSIM_DOCS_URL) op het openbare adres van de repository om ze voor "
        "iedereen te laten werken. Links naar bestanden werken alleen op de computer waarop "
        "dit rapport is gemaakt. Alles wat nodig is om het rapport te lezen, staat erin."),
    "footer": Name("Study {name}; {teams} simulated teams; made by teamsim (analysis/report.py).",
                   "Studie {name}; {teams} gesimuleerde teams; gemaakt met teamsim "
                   "(analysis/report.py)."),
    "title": Name("teamsim brief: {name}", "teamsim-rapport: {name}"),
    "figure/states": Name(
        "How the perspective fared week by week: the share of simulated teams where an EBE "
        "retained it, where the team carried it, where it was assimilated into the system "
        "world, and where no EBE was in post.",
        "Hoe het perspectief het week na week verging: het deel van de gesimuleerde teams "
        "waar een ervaringsdeskundige het behield, waar het team het droeg, waar het opging "
        "in de systeemwereld, en waar geen ervaringsdeskundige in dienst was."),
    "figure/effects": Name(
        "Effect of each measure on the share of teams where the perspective is alive after "
        "{when}, against one EBE without a measure (same simulated teams; 95% intervals; "
        "grey band: no meaningful difference; an interval that crosses its edge is "
        "unclear).",
        "Effect van elke maatregel op het deel van de teams met een levend "
        "ervaringsperspectief na {when}, tegenover één ervaringsdeskundige zonder maatregel "
        "(dezelfde gesimuleerde teams; 95%-intervallen; grijze band: geen betekenisvol "
        "verschil; een interval dat over de rand reikt, is onduidelijk)."),
    "figure/alive": Name(
        "Perspective alive after {when}, by number of EBEs (95% intervals).",
        "Ervaringsperspectief levend na {when}, naar aantal ervaringsdeskundigen "
        "(95%-intervallen)."),
    "figure/km": Name(
        "Share of simulated teams that have never lost the perspective, week by week "
        "(Kaplan-Meier, 95% bands).",
        "Deel van de gesimuleerde teams dat het perspectief nog nooit verloor, week na week "
        "(Kaplan-Meier, 95%-banden)."),
    "figure/heatmap": Name("The same as a grid (% of teams).",
                           "Hetzelfde als raster (% van de teams)."),
    "figure/trajectories": Name(
        "How distinct the EBEs' view stays and how much weight it carries in decisions, week "
        "by week: median, central 50% and 90% of teams.",
        "Hoe eigen de blik van de ervaringsdeskundigen blijft en hoeveel gewicht die in "
        "besluiten krijgt, week na week: mediaan, middelste 50% en 90% van de teams."),
    "figure/dots": Name(
        "Perspective alive after {when} with each measure (95% intervals).",
        "Ervaringsperspectief levend na {when} met elke maatregel (95%-intervallen)."),
    "figure/share_effects": Name(
        "Effect of each measure on the weight of experiential knowledge in team decisions.",
        "Effect van elke maatregel op het gewicht van ervaringskennis in teambesluiten."),
    "table/situation": Name("situation", "situatie"),
    "table/alive": Name("alive after {when} (95% interval)", "levend na {when} (95%-interval)"),
    "table/weeks_alive": Name("weeks alive", "weken levend"),
    "table/states": Name("retained / carried / assimilated / vacant",
                         "behouden / gedragen / geassimileerd / vacant"),
    "table/median": Name("median weeks to first loss", "mediaan weken tot eerste verlies"),
    "table/median_never": Name("beyond {weeks}", "na {weeks}"),
    "table/assimilated": Name("first lost by assimilation (95% interval)",
                              "eerst verloren door assimilatie (95%-interval)"),
    "table/share": Name("experiential share", "aandeel ervaringskennis"),
    "table/team_shift": Name("team shift", "verschuiving team"),
    "table/exits": Name("EBE exits", "vertrek ervaringsdeskundigen"),
    "table/outcome": Name("outcome", "uitkomst"),
    "table/difference": Name("difference", "verschil"),
    "table/interval": Name("95% interval", "95%-interval"),
    "scenario": Name("measure", "maatregel"),
    "table/first": Name("first", "eerste"),
    "table/second": Name("second", "tweede"),
    "table/statistic": Name("z (signed)", "z (met teken)"),
    "logrank/z": Name(
        "z is the signed log-rank statistic: observed minus expected first losses with the "
        "first (smaller) number of EBEs, over its standard error. Positive z: with fewer "
        "EBEs the perspective was lost sooner or more often; z² is the chi-square statistic "
        "with 1 degree of freedom.",
        "z is de log-ranktoetsgrootheid met teken: het waargenomen min het verwachte aantal "
        "eerste verliezen bij het eerste (kleinste) aantal ervaringsdeskundigen, gedeeld "
        "door de standaardfout. Positieve z: met minder ervaringsdeskundigen ging het "
        "perspectief eerder of vaker verloren; z² is de chi-kwadraatgrootheid met 1 "
        "vrijheidsgraad."),
    "logrank/untested": Name(
        "–: no test is possible (no simulated team lost the perspective in either group, "
        "or all of them lost it in the same week).",
        "–: toetsen is niet mogelijk (in geen van beide groepen verloor een gesimuleerd team "
        "het perspectief, of ze verloren het allemaal in dezelfde week)."),
    "table/p": Name("p-value", "p-waarde"),
}


def say(key: str, lang: str = "en", **values) -> str:
    """The sentence ``key`` in ``lang`` with ``values`` filled in."""
    return TEXT[key](check(lang)).format(**values)


def count_word(n: int, lang: str = "en") -> str:
    """'two' / 'twee' for small counts, else the digits."""
    found = COUNTS.get(int(n))
    return found(lang) if found else str(int(n))


def ordinal(n: int, lang: str = "en") -> str:
    found = ORDINALS.get(int(n))
    return found(lang) if found else (f"{int(n)}th" if lang == "en" else f"{int(n)}e")


def joined(items: list[str], lang: str = "en") -> str:
    """'a, b and c' / 'a, b en c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {AND(lang)} " + items[-1]


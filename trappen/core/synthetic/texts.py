"""Short Danish texts for generated records. None names or describes a real person."""

from __future__ import annotations

# The concern as the notifier writes it, with the reasons (NotificationReason values, Danmarks
# Statistik's categories) a caseworker would record for it; one to two each. Pools per reporter
# kind; "police_young" is the police's pool for children under 12.
CONCERNS = {
    "school": (
        (
            "Eleven har et stigende fravær og virker træt og indesluttet i timerne.",
            ("school_absence", "child_behaviour"),
        ),
        (
            "Eleven har haft over 15 % fravær i dette skoleår, og forældrene svarer ikke.",
            ("school_absence",),
        ),
        (
            "Eleven møder sjældent før tredje time og mangler ofte hele dage.",
            ("school_absence",),
        ),
        ("Eleven er truet med bortvisning efter gentagne slagsmål.", ("child_behaviour",)),
        (
            "Eleven kommer ofte uden madpakke og i for tyndt tøj og kan ikke koncentrere sig.",
            ("neglect",),
        ),
        ("Eleven har fortalt en lærer om voldsomme skænderier derhjemme.", ("domestic_conflict",)),
        (
            "Eleven er blevet isoleret i klassen og har givet udtryk for ikke at ville leve.",
            ("child_behaviour",),
        ),
        (
            "Eleven har mange konflikter i frikvartererne, og forældrene er svære at få fat i.",
            ("child_behaviour", "neglect"),
        ),
        ("Eleven har blå mærker og fortæller, at far slår, når han er vred.", ("violence",)),
        (
            "Eleven virker påvirket i timerne, og kammerater fortæller om hash i fritiden.",
            ("child_substance", "school_absence"),
        ),
        (
            "Mor har virket påvirket til skole-hjem-samtaler, og eleven passer sine søskende.",
            ("parent_substance", "neglect"),
        ),
    ),
    "daycare": (
        ("Barnet hentes ofte sent og virker sultent om morgenen.", ("neglect",)),
        (
            "Barnets sproglige udvikling er gået i stå, og forældrene aflyser samtaler.",
            ("neglect", "child_behaviour"),
        ),
        ("Barnet reagerer med angst, når det skal hentes.", ("child_behaviour",)),
        ("Barnet har gentagne gange haft blå mærker, som ikke er forklaret.", ("violence",)),
        (
            "Mor virker meget nedtrykt ved aflevering, og barnet er ofte ikke mødt.",
            ("parent_mental_health", "neglect"),
        ),
        ("Barnet fortæller, at far slår mor.", ("domestic_conflict",)),
        ("Barnet udviser seksualiseret adfærd over for de andre børn.", ("sexual_abuse",)),
    ),
    "health": (
        (
            "Skadestuen har behandlet barnet flere gange for skader, der ikke er forklaret.",
            ("violence",),
        ),
        ("Egen læge er bekymret for barnets vægtudvikling og familiens samarbejde.", ("neglect",)),
        (
            "Børne- og ungdomspsykiatrien bekymrer sig for barnets hjemmeforhold.",
            ("child_behaviour", "domestic_conflict"),
        ),
        ("Barnet har været indlagt efter selvskade.", ("child_behaviour",)),
        (
            "Den unge er indlagt med forgiftning efter en fest og vil ikke tale med forældrene.",
            ("child_substance", "child_behaviour"),
        ),
        (
            "Psykiatrien behandler mor for svær depression, og barnet er meget alene.",
            ("parent_mental_health", "neglect"),
        ),
        ("Far er i alkoholbehandling og har kørt bil påvirket med barnet.", ("parent_substance",)),
        ("Lægen har undersøgt barnet efter mistanke om seksuelle overgreb.", ("sexual_abuse",)),
    ),
    "health_visitor": (
        (
            "Sundhedsplejersken ser mistrivsel i familien og en mor med tegn på fødselsdepression.",
            ("parent_mental_health",),
        ),
        ("Barnet tager ikke nok på, og forældrene aflyser besøgene.", ("neglect",)),
        ("Hjemmet er præget af konflikter, og barnet er uroligt.", ("domestic_conflict",)),
        (
            "Der er tegn på misbrug i hjemmet, og barnets pleje er mangelfuld.",
            ("parent_substance", "neglect"),
        ),
    ),
    "police": (
        (
            "Politiet har været tilkaldt til husspektakler på adressen, mens barnet var hjemme.",
            ("domestic_conflict",),
        ),
        (
            "Den unge er antruffet beruset sent om aftenen sammen med ældre unge.",
            ("child_substance",),
        ),
        ("Den unge er sigtet for butikstyveri sammen med kammerater.", ("crime",)),
        ("Den unge er sigtet for vold i nattelivet.", ("crime", "child_behaviour")),
        (
            "Den unge er antruffet med hash i en mængde, der tyder på salg.",
            ("crime", "child_substance"),
        ),
        ("Den unge er meldt savnet flere gange den seneste måned.", ("child_behaviour",)),
        ("Den unge er sigtet for indbrud i en kiosk.", ("crime",)),
        ("Den unge er sigtet for hærværk og trusler mod en buschauffør.", ("crime",)),
    ),
    "police_young": (
        (
            "Politiet har været tilkaldt til husspektakler på adressen, mens barnet var hjemme.",
            ("domestic_conflict",),
        ),
        ("Barnet blev fundet alene hjemme om natten.", ("neglect",)),
        (
            "En forælder blev anholdt påvirket af stoffer, mens barnet var til stede.",
            ("parent_substance",),
        ),
        ("Der er anmeldt vold mod barnet i hjemmet.", ("violence",)),
    ),
    "municipality": (
        ("Jobcenteret oplyser, at mor har et massivt misbrug og udebliver.", ("parent_substance",)),
        (
            "Socialpsykiatrien støtter far, som i perioder ikke kan tage sig af barnet.",
            ("parent_mental_health", "neglect"),
        ),
        ("Familien er sat ud af boligen og bor midlertidigt hos bekendte.", ("neglect", "other")),
        ("PPR bekymrer sig for barnets trivsel og forældrenes samarbejde.", ("child_behaviour",)),
    ),
    "other_municipality": (
        (
            "Familien er flyttet hertil; fraflytningskommunen videresender sin bekymring.",
            ("neglect", "other"),
        ),
        ("Fraflytningskommunen har haft en sag om vold i familien.", ("domestic_conflict",)),
    ),
    "provider": (
        ("Den unge er stukket af fra opholdsstedet flere gange.", ("child_behaviour",)),
        (
            "Familiebehandleren ser nye tegn på vold i hjemmet.",
            ("violence", "domestic_conflict"),
        ),
        ("Kontaktpersonen oplever, at den unge er begyndt at ryge hash.", ("child_substance",)),
    ),
    "child": (
        (
            "Den unge har selv henvendt sig og fortæller om råb og slag derhjemme.",
            ("violence", "domestic_conflict"),
        ),
        ("Den unge fortæller, at hun ikke kan holde ud at være hjemme.", ("child_behaviour",)),
    ),
    "parent": (
        (
            "En forælder beder selv om hjælp, fordi barnet ikke vil i skole og er udadreagerende.",
            ("child_behaviour", "school_absence"),
        ),
        (
            "Den anden forælder er bekymret for barnets ophold hos sin tidligere partner.",
            ("neglect",),
        ),
        (
            "Forælderen magter ikke længere den unges kriminalitet og misbrug.",
            ("crime", "child_substance"),
        ),
    ),
    "default": (
        (
            "Henvenderen er bekymret for barnets trivsel og forældrenes overskud.",
            ("child_behaviour", "neglect"),
        ),
        (
            "Der er uro i hjemmet, og barnet har givet udtryk for at være bange.",
            ("domestic_conflict",),
        ),
        (
            "Familien har mistet sit netværk, og barnet passer sig selv meget.",
            ("child_behaviour",),
        ),
        ("Henvenderen oplever, at barnet ikke får den omsorg, det har brug for.", ("neglect",)),
        ("Barnet kommer sjældent i skole og er ude til sent om natten.", ("school_absence",)),
        ("Naboen hører ofte et barn græde længe og voksne, der råber.", ("domestic_conflict",)),
        ("Forældrene drikker meget, og barnet passer sig selv.", ("parent_substance", "neglect")),
        (
            "Bedstemor er bekymret, fordi mor har det psykisk meget dårligt.",
            ("parent_mental_health",),
        ),
    ),
}

# Where notifiers without a unit of ours work (reporter_organisation).
ORGANISATIONS = {
    "health": (
        "Børneafdelingen, Regionshospitalet",
        "Egen læge",
        "Børne- og ungdomspsykiatrien",
        "Skadestuen",
        "Tandplejen",
    ),
    "police": ("Politiet, lokalpolitiet", "Politiet, forebyggelsesafdelingen"),
    "municipality": ("Jobcenteret", "Socialpsykiatrien", "PPR", "Voksenhandicap"),
    "other_municipality": ("Fraflytningskommunen",),
}

# The caseworker's 24-hour assessment (required when the child is in danger).
DANGER_NOTES = (
    "Barnet er bragt i sikkerhed hos familie; forældrene er kontaktet.",
    "Politiet er orienteret; barnet overnatter hos netværket, mens sagen afdækkes.",
    "Barnet er set af læge i dag; der er lavet aftale om tilsyn i hjemmet.",
    "Akut samtale med barnet og forældrene; barnet bor foreløbig hos den anden forælder.",
)
NO_DANGER_NOTES = (
    "Ingen tegn på akut fare; forældrene er orienteret om underretningen.",
    "Bekymringen er alvorlig, men ikke akut; screening inden for en uge.",
    "",
)

DECISION_REASONS = {
    "no_action": "Forholdene er afklaret med familien og skolen; ingen behov for særlig støtte.",
    "clarification": "Der er behov for at afdække barnets forhold nærmere (§ 19).",
    "investigation": "Bekymringen er alvorlig og sammensat; børnefaglig undersøgelse (§ 20).",
    "existing_case": "Indgår i barnets igangværende sag; rådgiveren revurderer indsatsen.",
}

# Areas of concern most likely to be named by each reporter (ConcernArea values).
AREAS_BY_REPORTER = {
    "school": ("school", "development", "family", "leisure"),
    "daycare": ("development", "family", "health"),
    "health": ("health", "family", "development"),
    "health_visitor": ("health", "family", "development"),
    "police": ("family", "other", "leisure"),
    "default": ("family", "development", "other"),
}

AGREED = (
    "Ekstra voksenstøtte i frikvartererne; ny vurdering om seks uger.",
    "Samtale med forældrene; pædagogen følger op.",
    "Sparring med den fremskudte rådgiver aftalt.",
    "Forældrene er informeret og deltager i et netværksmøde.",
    "Kontakt til sundhedsplejersken; klasselæreren følger op.",
    "Tæt dialog med forældrene og fælles mål for de næste uger.",
)

CHILD_VIEWS = (
    "Jeg vil gerne blive boende hjemme, men det er svært, når de råber.",
    "Jeg kan godt lide at tale med min kontaktperson.",
    "Det er rart i skolen, men jeg savner en ven.",
    "Jeg vil gerne se min farmor noget mere.",
    "Jeg er glad for at bo hos min plejefamilie, men savner min lillebror.",
    "Jeg vil gerne have, at mor får det bedre.",
    "Jeg synes, det går bedre nu, og jeg vil gerne til fodbold igen.",
    "Jeg ved ikke, hvad jeg skal sige. Jeg vil bare have ro.",
)

CONVERSATION_PLACES = ("Skolen", "Hjemme", "Rådhuset", "Familiehuset", "En gåtur", "Plejefamilien")

NETWORK_RELATIONS = (
    ("Mormor", 1),
    ("Morfar", 1),
    ("Farmor", 1),
    ("Farfar", 1),
    ("Moster", 1),
    ("Faster", 2),
    ("Onkel", 2),
    ("Nabo", 2),
    ("Fodboldtræner", 3),
    ("Spejderleder", 3),
    ("Klasselærer", 3),
    ("Gudmor", 2),
)

NETWORK_OFFERS = (
    "Kan hente fra skole om tirsdagen.",
    "Kan have barnet på weekend hver anden uge.",
    "Lektiehjælp en gang om ugen.",
    "Kørsel til fritidsaktiviteter.",
    "Er en fast voksen at ringe til.",
    "",
)

STEP_REASONS = {
    "first": "Første indsats: {title}",
    "up": "Trin op: {title}",
    "down": "Trin ned: {title}",
    "none": "Alle indsatser afsluttet",
}

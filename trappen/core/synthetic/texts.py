"""Short Danish texts for generated records. None names or describes a real person."""

from __future__ import annotations

CONCERNS = {
    "school": (
        "Barnet har et stigende fravær og virker træt og indesluttet i timerne.",
        "Eleven kommer ofte uden madpakke og har svært ved at koncentrere sig.",
        "Eleven har fortalt en lærer om voldsomme skænderier derhjemme.",
        "Eleven er blevet isoleret i klassen og har givet udtryk for ikke at ville leve.",
        "Eleven har mange konflikter i frikvartererne og forældrene er svære at få kontakt til.",
    ),
    "daycare": (
        "Barnet hentes ofte sent og virker sultent om morgenen.",
        "Barnets sproglige udvikling er gået i stå, og forældrene aflyser samtaler.",
        "Barnet reagerer med angst, når det skal hentes.",
        "Barnet har gentagne gange haft blå mærker, som ikke er forklaret.",
    ),
    "health": (
        "Sundhedsplejersken ser mistrivsel i familien og en mor med tegn på fødselsdepression.",
        "Skadestuen har behandlet barnet flere gange for skader, der ikke er forklaret.",
        "Egen læge er bekymret for barnets vægtudvikling og familiens samarbejde.",
        "Børne- og ungdomspsykiatrien bekymrer sig for barnets hjemmeforhold.",
    ),
    "police": (
        "Politiet har været tilkaldt til husspektakler på adressen, mens barnet var hjemme.",
        "Den unge er antruffet beruset sent om aftenen sammen med ældre unge.",
        "Den unge er sigtet for butikstyveri sammen med kammerater.",
    ),
    "default": (
        "Henvenderen er bekymret for barnets trivsel og forældrenes overskud.",
        "Der er uro i hjemmet, og barnet har givet udtryk for at være bange.",
        "Familien har mistet sit netværk, og barnet passer sig selv meget.",
        "Henvenderen oplever, at barnet ikke får den omsorg, det har brug for.",
    ),
}

# Areas of concern most likely to be named by each reporter (ConcernArea values).
AREAS_BY_REPORTER = {
    "school": ("school", "development", "family", "leisure"),
    "daycare": ("development", "family", "health"),
    "health": ("health", "family", "development"),
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

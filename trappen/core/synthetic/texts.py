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

# --- case work (issue 4): the caseworker's history, the investigation, the plan, follow-ups ---

FIRST_ASSIGNMENT_REASON = "Sagen er oprettet og fordelt i teamet"
ASSIGNMENT_REASONS = (
    "Ny rådgiver efter barsel",
    "Omfordeling i teamet",
    "Rådgiveren er stoppet",
    "Ny rådgiver efter langtidssygemelding",
    "Sagen er flyttet efter ønske fra familien",
    "Rådgiveren har fået andre opgaver",
    "Færre sager pr. rådgiver efter nyansættelse",
)

# Why the investigation (barnets lov § 20) was started.
INVESTIGATION_REASONS = (
    "Gentagne underretninger om omsorgssvigt; der er brug for et samlet billede af barnets behov.",
    "Alvorlig bekymring for barnets trivsel og udvikling både i skolen og hjemme.",
    "Forældrene har selv bedt om hjælp, og vanskelighederne er sammensatte.",
    "Bekymring for vold i hjemmet; barnets sikkerhed og behov skal belyses.",
    "Barnets fravær og adfærd tyder på, at barnet har brug for særlig støtte.",
    "Forældrenes misbrug og psykiske vanskeligheder præger barnets hverdag.",
    "Afdækningen viste, at barnets vanskeligheder er større end først antaget.",
    "Den unge er i risiko for skolefrafald og kriminalitet.",
)
INVESTIGATION_CONCLUSION = "Undersøgelsen er afsluttet, og barnets behov er beskrevet."
# The recommendation, by the recommended step (Step).
RECOMMENDATIONS = {
    0: (
        "Barnet har ikke brug for særlig støtte; skolen og dagtilbuddet følger op i almenområdet.",
        "Ingen foranstaltning. Familien får råd og vejledning, og sagen kan lukkes.",
    ),
    1: (
        "Et forebyggende forløb (§ 30) med fokus på forældrenes samspil med barnet.",
        "Familien tilbydes et forebyggende gruppeforløb og en fast kontakt i Familiehuset.",
    ),
    2: (
        "Støtte i hjemmet (§ 32): familiebehandling med faste mål for hverdagen.",
        "En kontaktperson til barnet og støtte til forældrene i hjemmet (§ 32).",
    ),
    3: (
        "Barnet anbringes i netværket, hvor det kender de voksne og kan blive i sin skole.",
        "Anbringelse i slægten; tæt samvær med forældrene.",
    ),
    4: (
        "Barnet har brug for at bo i en plejefamilie med stabile voksne.",
        "Anbringelse i plejefamilie; søskende skal vurderes (§ 21).",
    ),
    5: (
        "Barnet har brug for en døgninstitution med behandling og skolegang.",
        "Anbringelse på institution; hjemgivelse vurderes ved hver opfølgning.",
    ),
}
# Barnets lov § 20, stk. 3: why 4 months cannot be kept, and the preliminary assessment.
PRELIMINARY_ASSESSMENTS = (
    "Udtalelsen fra børne- og ungdomspsykiatrien mangler. Foreløbig vurdering: barnet har brug "
    "for den støtte i hjemmet, som er sat i gang, indtil undersøgelsen er færdig.",
    "Familien har aflyst to samtaler. Foreløbig vurdering: bekymringen består; skolen følger "
    "barnet tæt, og der er ikke grundlag for at handle akut.",
    "PPR's udredning er ikke afsluttet. Foreløbig vurdering: barnet har brug for særlig støtte "
    "i skolen og en fast voksen at tale med.",
    "Sagen har skiftet rådgiver. Foreløbig vurdering: barnets situation er stabil, og den "
    "foreløbige indsats fortsætter.",
)

# What the investigation found in each ICS dimension (IcsDimension): resources and concerns.
ICS_FINDINGS = {
    "health": (
        (
            "Barnet er sundt og går til de aftalte lægetjek.",
            "Barnet sover dårligt og er ofte træt.",
        ),
        ("Barnet spiser godt i skolen.", "Barnet har mange fraværsdage med ondt i maven."),
    ),
    "development": (
        ("Barnet er nysgerrigt og glad for at lære nyt.", "Barnet reagerer voldsomt på skift."),
        ("Barnet kan sætte ord på sine følelser.", "Barnet trækker sig og er meget stille."),
    ),
    "learning": (
        ("Barnet er glad for sin klasselærer.", "Barnet har over 15 % fravær i skolen."),
        (
            "Barnet klarer sig fagligt godt i matematik.",
            "Barnet har svært ved at følge med i dansk.",
        ),
    ),
    "leisure": (
        ("Barnet går til fodbold og har en god ven.", "Barnet har ingen fritidsaktiviteter."),
        ("Barnet er glad for spejderne.", "Barnet er meget alene efter skole."),
    ),
    "safe_care": (
        (
            "Forældrene er kærlige og vil gerne samarbejde.",
            "Der er voldsomme skænderier i hjemmet.",
        ),
        ("Barnet føler sig tryg hos mor.", "Barnet bliver ofte overladt til sig selv om aftenen."),
    ),
    "stimulation": (
        ("Far læser højt for barnet om aftenen.", "Der er ingen faste rammer for lektier."),
        ("Forældrene følger med i skolearbejdet.", "Forældrene har svært ved at sætte grænser."),
    ),
    "relations": (
        ("Barnet har god kontakt til sine søskende.", "Barnet ser sjældent sin far."),
        ("Forældrene støtter barnets venskaber.", "Forældrenes konflikt fylder meget for barnet."),
    ),
    "background": (
        ("Mormor har været en fast støtte i mange år.", "Mor har selv været anbragt som barn."),
        ("Familien har klaret svære perioder før.", "Familien har flyttet mange gange."),
    ),
    "housing": (
        ("Familien har en stabil bolig.", "Familien er i risiko for at blive sat ud af boligen."),
        ("Far er kommet i arbejde igen.", "Familien har økonomiske problemer og gæld."),
    ),
    "network": (
        ("Naboen og en moster hjælper gerne.", "Familien har næsten intet netværk."),
        ("Familien kender andre forældre i klassen.", "Familien er isoleret fra den øvrige slægt."),
    ),
}

# The purpose of a supporting measure (§ 32, stk. 3), by offer; others use the default.
INTERVENTION_PURPOSES = {
    "Familiebehandling": (
        "At forældrene får redskaber til at skabe ro og faste rammer i hverdagen.",
        "At konflikterne i familien bliver færre, og barnet oplever tryghed hjemme.",
    ),
    "Kontaktperson": (
        "At den unge har en fast voksen at tale med og kommer i skole hver dag.",
        "At barnet får hjælp til at holde fast i skole og fritid.",
    ),
    "Praktisk pædagogisk støtte i hjemmet": (
        "At familien får faste morgen- og aftenrutiner, så barnet kommer udhvilet i skole.",
    ),
    "Aflastning i plejefamilie": (
        "At barnet får et fast, trygt sted hver anden weekend, og forældrene får ro til at "
        "lade op.",
    ),
    "Multisystemisk terapi (MST)": (
        "At den unges udadreagerende adfærd og kriminalitet stopper, og forældrene får styr på "
        "rammerne.",
    ),
    "default": ("At barnets trivsel og udvikling styrkes, så familien kan klare sig selv.",),
}

# The child's plan (§§ 91–92).
PLAN_PURPOSES = {
    "support": (
        "At barnet trives i skolen og hjemme, og at familien kan klare hverdagen uden støtte.",
        "At barnet får en tryg hverdag med faste rammer og voksne, der kan hjælpe.",
        "At den unge gennemfører skolen og har et godt fritidsliv.",
    ),
    "placement": (
        "At barnet får en stabil opvækst med trygge voksne og god kontakt til sin familie.",
        "At barnet trives i anbringelsen, går i skole og bevarer sit netværk.",
        "At den unge bliver klar til et selvstændigt voksenliv.",
    ),
}
PLAN_NOT_NEEDED_REASONS = (
    "Aflastning i en kort periode med et klart formål; en handleplan er ikke nødvendig.",
    "Indsatsen er afgrænset, og formålet fremgår af afgørelsen; ingen plan.",
    "Familien og rådgiveren følger op ved de faste opfølgninger; en plan tilføjer ikke noget.",
)

# Goals: (the goal as written in the plan, the child's own words where the child set it).
GOALS_CASEWORKER = {
    "support": (
        "Barnet kommer i skole hver dag og til tiden.",
        "Familien har faste rutiner omkring morgen og sengetid.",
        "Barnet har en fast voksen at tale med, når det er svært.",
        "Forældrene samarbejder om barnets hverdag.",
        "Barnet deltager i en fritidsaktivitet hver uge.",
        "Konflikterne i hjemmet bliver færre og mindre voldsomme.",
    ),
    "placement": (
        "Barnet trives i anbringelsen og har trygge voksne omkring sig.",
        "Barnet har et godt og stabilt samvær med sine forældre.",
        "Barnet går i skole hver dag og følger undervisningen.",
        "Barnet bevarer kontakten til sine søskende og sit netværk.",
        "Den unge kan klare egne indkøb, økonomi og aftaler.",
    ),
}
GOALS_GUARDIANS = (
    "Vi vil have færre konflikter om morgenen.",
    "Vi vil have mere tid sammen som familie i weekenderne.",
    "Vi vil kunne sætte grænser uden at råbe.",
    "Vi vil have et godt samarbejde med skolen.",
    "Vi vil have et godt samvær, hvor barnet glæder sig til at komme.",
)
GOALS_CHILD = {
    "child": (  # 7-12
        (
            "Barnet har en god ven i klassen.",
            "Jeg vil gerne have en ven at lege med i frikvarteret.",
        ),
        ("Barnet føler sig tryg derhjemme.", "Jeg vil ikke have, at de råber så meget derhjemme."),
        ("Barnet går til en fritidsaktivitet.", "Jeg vil gerne gå til fodbold ligesom Emil."),
        ("Barnet ser sin far regelmæssigt.", "Jeg vil gerne se min far noget mere."),
        ("Barnet sover godt om natten.", "Jeg vil gerne kunne sove uden at være bange."),
    ),
    "young": (  # 13-17
        ("Den unge gennemfører 9. klasse.", "Jeg vil bestå 9. klasse og komme på tømrerskolen."),
        ("Den unge har et fritidsjob.", "Jeg vil have et fritidsjob, så jeg har mine egne penge."),
        ("Den unge har styr på sin hverdag.", "Jeg vil selv kunne stå op og komme i skole."),
        ("Den unge har gode venner.", "Jeg vil gerne have nogle venner, der ikke ryger hash."),
        ("Den unge bliver hørt derhjemme.", "Jeg vil have, at mine forældre lytter til mig."),
    ),
}

# A held follow-up's reason, by its decision (FollowUpDecision), and for the no-progress flag.
FOLLOW_UP_REASONS = {
    "continue": (
        "Indsatsen virker, og målene bevæger sig i den rigtige retning. Den fortsætter uændret.",
        "Barnet og forældrene oplever fremgang; indsatsen fortsætter.",
        "Stabil periode; skolen bekræfter fremgangen. Indsatsen fortsætter.",
    ),
    "adjust": (
        "Indsatsen justeres: flere timer i hjemmet og fokus på morgenrutinerne.",
        "Indsatsen justeres efter barnets ønske: samtalerne flyttes til skolen.",
    ),
    "step_down": (
        "Familien klarer mere selv; barnet kan rykke et trin ned på trappen.",
        "Målene er næsten nået; en lettere indsats er nok nu.",
    ),
    "step_up": (
        "Indsatsen er ikke tilstrækkelig; barnet har brug for mere støtte.",
        "Bekymringen er vokset trods indsatsen; et trin op er nødvendigt.",
    ),
    "end": (
        "Målene er nået, og familien klarer sig uden støtte. Indsatsen afsluttes.",
        "Barnet trives; indsatsen afsluttes efter aftale med familien.",
    ),
    "no_progress_adjust": (
        "Ingen fremskridt ved de to seneste opfølgninger; indsatsen ændres (ny metode og tættere "
        "opfølgning).",
    ),
    "no_progress_continue": (
        "Scorerne står stille. Indsatsen fortsætter, men rådgiveren følger tæt op og tager "
        "stilling ved næste opfølgning.",
    ),
}
# § 95, stk. 3: how the follow-up plan was explained to the child at the first follow-up.
SCHEDULE_NOTES = (
    "Forklaret ved en samtale i skolen: vi ses igen efter sommerferien.",
    "Barnet fik en kalender med de næste møder.",
    "Gennemgået med barnet og kontaktpersonen; barnet ved, hvornår vi følges ad igen.",
)

# --- the child's voice and the family's network (issue 5; voice.py) ---

# A conversation with the child in the four parts of the Lundy model (space, voice, audience,
# influence). Pools by age band where the words differ: "small" 3-6, "child" 7-12, "young" 13-17.
CONVERSATION_PRESENT = (
    "Barnet og rådgiveren",
    "Barnet, rådgiveren og klasselæreren",
    "Barnet, rådgiveren og mor",
    "Barnet, rådgiveren og barnets kontaktperson",
    "Barnet, rådgiveren og pædagogen",
)
CONVERSATION_SAFETY = {
    "small": (
        "Vi legede med dukker på gulvet, mens vi talte; pædagogen sad med i starten.",
        "Barnet havde sin bamse med og viste mig sit yndlingssted på legepladsen.",
        "Vi tegnede barnets familie sammen og talte ud fra tegningen.",
    ),
    "child": (
        "Vi mødtes i klasselokalet efter skoletid, hvor barnet kender stolene og væggene.",
        "Barnet valgte selv stedet, og vi aftalte et stopkort, hvis det blev for meget.",
        "Vi gik en tur ved vandet, så barnet ikke skulle sidde over for mig.",
        "Vi spillede kort imens; barnet bestemte, hvornår vi holdt pause.",
    ),
    "young": (
        "Den unge valgte en café og måtte tage sin bedste ven med det første kvarter.",
        "Vi kørte en tur i bil; den unge ville helst ikke se mig i øjnene.",
        "Den unge fik spørgsmålene på forhånd og kunne sige pas til dem.",
        "Vi talte sammen på den unges værelse med døren åben.",
    ),
}
CONVERSATION_INFORMATION = (
    "Hvorfor kommunen er bekymret, og hvad der skal ske nu.",
    "Hvad en familiebehandler er, og hvor tit hun kommer hjem til familien.",
    "At barnet må sige alt, hvad det tænker, og at det ikke er barnets skyld.",
    "Hvem der bestemmer, og hvornår barnet hører fra os igen.",
    "Hvad en anbringelse betyder, og hvordan samværet med mor og far bliver.",
    "Hvad der står i barnets plan, og hvem der skal gøre hvad.",
)
# InformationForm values and weights; the smallest get it orally or with drawings.
INFORMATION_FORMS = {
    "small": (("oral", 0.6), ("visual", 0.3), ("material", 0.1)),
    "child": (("oral", 0.5), ("visual", 0.2), ("material", 0.2), ("written", 0.1)),
    "young": (("oral", 0.55), ("written", 0.35), ("material", 0.1)),
}
CHILD_VIEWS_SMALL = (
    "Jeg kan godt lide, når mormor henter mig.",
    "Far råber, og så gemmer jeg mig under dynen.",
    "Jeg vil gerne lege med Ida hver dag.",
    "Mor er ked af det, og så skal jeg være sød.",
)
HOPES_AND_DREAMS = {
    "small": (
        "At få en hundehvalp.",
        "At mor og far er glade.",
        "At blive brandmand.",
    ),
    "child": (
        "At mor og far holder op med at skændes.",
        "At jeg kan blive i min klasse.",
        "At jeg kan spille håndbold igen.",
        "At jeg kan se min storebror mere.",
        "At jeg kan bo hjemme igen.",
    ),
    "young": (
        "At jeg bliver tømrer og får min egen lejlighed.",
        "At jeg kan tage 10. klasse på efterskole.",
        "At mine forældre stoler på mig.",
        "At jeg får et job og kan købe en knallert.",
        "At jeg kan blive boende hos plejefamilien, til jeg er 18.",
    ),
}
CONVERSATION_LISTENERS = (
    "Rådgiveren",
    "Rådgiveren og teamlederen",
    "Rådgiveren og familiebehandleren",
    "Rådgiveren og barnets kontaktperson",
)
VIEWS_USED = (
    "Barnets ønske om at blive i sin skole er lagt til grund for valget af indsats.",
    "Samtalerne flyttes til skolen, som barnet ønskede.",
    "Barnets eget mål er skrevet ind i barnets plan med barnets ord.",
    "Barnets bekymring for mor er taget med i familiebehandlingen.",
    "Barnets ønske om mere samvær med farmor er aftalt med familien.",
    "Barnet ønskede ikke aflastning i weekenden; aflastningen lægges på hverdage.",
)
EXPLAINED_BACK = (
    "Forklaret ved næste besøg med en tegning af, hvad der skal ske.",
    "Rådgiveren ringede til barnet og fortalte om afgørelsen og hvorfor.",
    "Barnet fik et brev i børnevenligt sprog og gennemgik det med kontaktpersonen.",
    "Forklaret på en gåtur; barnet spurgte, hvornår vi ses igen.",
)
SUPPORT_PERSONS = (
    "Moster (fra barnets netværk)",
    "AKT-læreren på skolen",
    "Fodboldtræneren",
    "Bisidder fra Børns Vilkår",
)
# Barnets lov § 5, stk. 4: why a decision was made without a conversation (by reason).
NO_CONVERSATION_NOTES = {
    "declined": (
        "Barnet har sagt tydeligt fra til en samtale nu. Kontaktpersonen har givet barnets "
        "ønsker videre, og vi taler sammen, når afgørelsen er truffet.",
        "Den unge ønsker ikke at mødes og har i stedet skrevet sine ønsker i en sms.",
    ),
    "maturity": (
        "Barnet er for lille til en samtale; barnets trivsel er observeret ved hjemmebesøg og "
        "i dagtilbuddet.",
        "Barnets udvikling gør en samtale umulig; barnet er observeret sammen med forældrene.",
    ),
    "nature": (
        "En samtale nu ville udsætte barnet for et loyalitetspres i en verserende straffesag; "
        "politiet er orienteret.",
        "Barnet er i krise efter en voldsom episode; psykiatrien fraråder en samtale lige nu.",
    ),
    "urgent": (
        "Barnet blev anbragt akut om natten; samtalen holdes hurtigst muligt efter afgørelsen.",
        "Akut afgørelse efter politiets henvendelse; samtalen med barnet er aftalt inden for en "
        "uge.",
    ),
}
DECISION_SUMMARIES = {
    "intervention": "Bevilget: {title}",
    "placement": "Anbragt: {title}",
    "step_change": "Ændring af trin ved opfølgning: {title}",
    "end": "Afsluttet: {title}",
    "follow_up": "Indsatsen justeres ved opfølgning: {title}",
}

# Network meetings (netværksmøder, stormøder) and family group conferences.
MEETING_PROFESSIONALS = (
    "Rådgiveren og klasselæreren",
    "Rådgiveren, familiebehandleren og sundhedsplejersken",
    "Rådgiveren, pædagogen og PPR-psykologen",
    "Rådgiveren, kontaktpersonen og SSP-medarbejderen",
)
MEETING_AGREEMENTS = (
    "Mormor henter i skole om tirsdagen og torsdagen; mor ringer, hvis planen ændres.",
    "Naboen er fast voksen at ringe til om aftenen; skolen giver besked ved fravær.",
    "Farmor har barnet hver anden weekend; rådgiveren følger op med forældrene.",
    "Onkel kører til fodbold; træneren giver besked, hvis barnet ikke kommer.",
    "Familien aftaler faste spisetider; mosteren kommer til aftensmad om onsdagen.",
)
MEETING_FOLLOW_UP_NOTES = (
    "Aftalerne holder; mormor henter stadig om tirsdagen.",
    "Weekendaftalen er gledet ud; ny aftale med farmor om hver tredje weekend.",
    "Barnet kommer i skole hver dag; netværket fortsætter som aftalt.",
)
CONFERENCE_QUESTIONS = (
    "Hvordan sikrer familien, at barnet kommer i skole hver dag og til tiden?",
    "Hvordan kan familien og netværket sørge for, at barnet er trygt, når mor er syg?",
    "Hvem kan barnet bo hos i weekenderne, og hvordan holder vi kontakten til far?",
    "Hvordan kan familien hjælpe den unge væk fra kriminalitet og i gang med en uddannelse?",
)
CONFERENCE_INFORMATION = (
    "Rådgiveren fortalte om bekymringen fra skolen og om, hvad kommunen kan tilbyde.",
    "Sundhedsplejersken og rådgiveren fortalte om barnets udvikling og om, hvad der skal til.",
    "Rådgiveren forklarede, hvad der sker, hvis familiens plan ikke kan sikre barnet.",
)
# (what, who): who is a network person when None, else the text.
FAMILY_PLAN_LINES = (
    ("Henter barnet i skole om tirsdagen og torsdagen.", None),
    ("Har barnet hver anden weekend.", None),
    ("Er fast voksen at ringe til om aftenen.", None),
    ("Kører barnet til fodbold om onsdagen.", None),
    ("Står op sammen med barnet og følger det i skole.", "Mor"),
    ("Går til forældresamtale på skolen.", "Far"),
    ("Taler med lægen om sin medicin.", "Mor"),
    ("Holder et familiemøde hver søndag.", "Familien"),
)
CONFERENCE_FOLLOW_UP_NOTES = (
    "Planen er fulgt; barnet kommer i skole, og familien holder møde hver søndag.",
    "Det meste af planen er fulgt; weekenderne hos farmor fortsætter.",
    "Planen holdt i de første uger; familien laver en ny aftale om kørsel.",
)
CONFERENCE_CANCEL_REASONS = (
    "Familien ønskede ikke at gennemføre rådslagningen.",
    "Forældrene trak deres samtykke tilbage.",
    "Netværket kunne ikke samles; sagen følges op på et netværksmøde i stedet.",
)
CONFERENCE_CLOSED_REASON = "Sagen er lukket, før familierådslagningen var gennemført."
COORDINATOR_ORGS = (
    "Familierådslagning Nord",
    "Koordinatorkorpset",
    "Uafhængig koordinator",
)
# What a network person carries of an intervention (Thisted: two gears).
NETWORK_PARTS = (
    "Henter i skole to dage om ugen, mens familiebehandlingen står på.",
    "Har barnet hver anden weekend som aflastning.",
    "Følger den unge til aftalerne med kontaktpersonen.",
    "Er med til familiebehandlingens netværkssessioner.",
    "Hjælper med lektier om onsdagen.",
)

# --- early detection (issue 6; early.py) ---

# With whom the assessment was agreed, by whether the parents were informed.
AGREED_WITH = (
    "Forældrene",
    "Mor og far",
    "Mor",
    "Far",
    "Forældrene og barnet",
    "Forældrene og teamet omkring barnet",
)
AGREED_WITH_NOT_INFORMED = (
    "Teamet omkring barnet",
    "Lederen",
    "Kollegerne i teamet",
)
# Who follows up, by the kind of unit.
FOLLOW_UP_BY = {
    "school": ("Klasselæreren", "Kontaktlæreren", "AKT-vejlederen", "Klasseteamet"),
    "daycare": ("Pædagogen på stuen", "Stuens pædagoger", "Dagtilbudslederen"),
    "health_service": ("Sundhedsplejersken",),
}
# Why the parents were not informed (never blank when they were not).
NOT_INFORMED_REASONS = (
    "Bekymringen er ny; forældrene inddrages ved samtalen, der er aftalt i næste uge.",
    "Vi har ikke kunnet træffe forældrene trods flere forsøg.",
    "Vi afventer råd fra den fremskudte socialrådgiver om, hvordan forældrene bedst inddrages.",
)
NOT_INFORMED_HARM = (
    "Barnet har fortalt om vold i hjemmet; at informere forældrene nu kan skade barnet.",
    "Mistanke om overgreb; forældrene informeres ikke, før kommunen har vurderet sagen.",
)
# What the professional sees, by the kind of unit (no names, only the child's behaviour).
OBSERVATIONS = {
    "school": (
        "Trækker sig fra klassekammeraterne i frikvartererne og virker træt om morgenen.",
        "Kommer ofte for sent og mangler madpakke flere dage om ugen.",
        "Har svært ved at koncentrere sig og reagerer voldsomt på små konflikter.",
        "Er stille i timerne og har fortalt, at der er uro derhjemme.",
        "Fraværet er steget de seneste måneder, især om mandagen.",
    ),
    "daycare": (
        "Virker urolig ved aflevering og har svært ved at falde til ro.",
        "Sproget udvikler sig langsommere end hos de jævnaldrende.",
        "Kommer ofte i tøj, der ikke passer til vejret, og er sulten om morgenen.",
        "Trækker sig fra legen og søger meget trøst hos de voksne.",
    ),
    "health_service": (
        "Vægtkurven er flad, og mor virker presset og træt.",
        "Forældrene er usikre i samspillet med barnet; barnet græder meget.",
        "Hjemmet er præget af uro; far har svært ved at tale om barnets behov.",
    ),
}
# Why an assessment was shared with the outreach social worker.
SHARING_PURPOSES = (
    "Sparring om barnets trivsel og forslag til næste skridt.",
    "Vurdering af, om en tidlig indsats kan hjælpe barnet og familien.",
    "Planlægning af et møde med forældrene og den fremskudte socialrådgiver.",
)
SHARING_PURPOSES_EARLY_COOPERATION = (
    "Nødvendigt af hensyn til barnets trivsel: råd om, hvordan bekymringen tages op, før den "
    "vokser.",
    "Nødvendigt af hensyn til barnets trivsel: fælles vurdering af, om barnet har brug for "
    "tidlig støtte.",
)
# Early help (steps 0-1) by the kind of unit: offer names from the catalogue (catalogue.py).
EARLY_HELP_OFFERS = {
    "school": (
        "Trivselsforløb i skolen",
        "Lektiecafé",
        "Samtalegruppe for børn i skilsmissefamilier",
        "Tidlig familierådgivning",
        "Familieven",
    ),
    "daycare": (
        "Ekstra pædagogisk støtte i dagtilbud",
        "Forældrekursus – De Utrolige År",
        "Tidlig familierådgivning",
        "Familieven",
    ),
}
EARLY_HELP_PURPOSES = (
    "At barnet får det bedre i hverdagen, og at forældrene får redskaber til at støtte det.",
    "At barnet kommer trygt i gang med dagen og deltager i fællesskabet.",
    "At forældrene og institutionen får en fælles plan for barnets trivsel.",
    "At fraværet falder, og barnet igen deltager i undervisningen.",
)
EARLY_HELP_END_NOTES = {
    "notified": "Underretning sendt; den tidlige indsats er afsluttet, og sagen er hos myndighed.",
    "consent_withdrawn": "Forældrene ønskede ikke at fortsætte forløbet.",
    "other": "Barnet får i stedet støtte gennem PPR.",
    "goal_met": "",
}
# The concern of an anonymous consultation: fixed phrases without names, CPR numbers or
# addresses, by who asks and the kind of unit.
CONSULTATION_CONCERNS = {
    "school": (
        "En elev i mellemtrinnet har fået stigende fravær og virker trist. Hvordan tager vi det "
        "op med forældrene?",
        "En elev i udskolingen fortæller om skænderier derhjemme og sover dårligt.",
        "En elev kommer ofte uden madpakke og i for tyndt tøj. Er det nok til at underrette?",
        "En elev er blevet isoleret i klassen efter en konflikt på de sociale medier.",
        "En elev har voldsomme udbrud i timerne; forældrene oplever det ikke derhjemme.",
        "Vi er bekymrede for en elev, der har tabt sig meget og trækker sig fra fællesskabet.",
    ),
    "daycare": (
        "Et barn i børnehaven er meget urolig ved aflevering og virker bange for at gå hjem.",
        "Et vuggestuebarn udvikler sprog langsommere end ventet, og forældrene virker pressede.",
        "Et barn kommer ofte sent og sultent, og hentetiderne skifter meget.",
        "Et barn leger voldsomme lege og siger, at de voksne derhjemme råber.",
    ),
    "parent": (
        "Vores barn vil ikke i skole om morgenen, og vi ved ikke, hvordan vi skal hjælpe.",
        "Efter skilsmissen er vores barn blevet ked af det og vred. Hvad kan vi gøre?",
        "Vi er bekymrede for, hvem vores teenager er sammen med om aftenen.",
        "Vores barn sover dårligt og har mange konflikter med sin søskende.",
    ),
}
CONSULTATION_NOTES = {
    "advice": (
        "Råd om at tage en samtale med forældrene med udgangspunkt i konkrete observationer.",
        "Forslag til tiltag i klassen eller på stuen; ny sparring om seks uger, hvis det ikke "
        "bedres.",
        "Gennemgang af trivselslinealen og hvornår der skal underrettes.",
    ),
    "parent_meeting": (
        "Aftalt at invitere forældrene til et møde med den fremskudte socialrådgiver.",
        "Fælles møde med forældrene og fagpersonen planlagt inden for to uger.",
    ),
    "early_help": (
        "Forældrene tilbydes en tidlig indsats, hvis de giver samtykke.",
        "Et forløb i almenområdet drøftes med forældrene ved næste møde.",
    ),
    "should_notify": (
        "Bekymringen er så alvorlig, at fagpersonen bør underrette kommunen i dag.",
        "Oplysningerne tyder på, at barnet har brug for særlig støtte; underretning anbefalet.",
    ),
}
SLOT_PLACES = (
    "Mødelokalet ved kontoret",
    "Personalerummet",
    "Den fremskudte rådgivers kontor",
    "Samtalerummet",
)

"""The sector's vocabulary: the words commissioners and registers use for the same work.

concepts.py holds concepts each added for a miss on a development query. This module adds the
sector's wider vocabulary, written from knowledge of the sector as well as from the development
queries' misses (ADR 0053): the Charity Commission's classification of what charities do, for
whom and how, the names of the conditions, faiths, groups and activities register entries use,
and the commissioning terms that stand for them. It was committed before the third held-out
query set was first scored, so that set measures it.

A phrase that calls an entry up is the sector's word for the whole kind of work (or a plain
synonym), never one of its kinds: "uniformed youth groups" also looks up Scouts, Guides and
cadets, but "scouts" looks up Scouts alone, and "church" finds churches, not every faith.

Each entry: (phrases that call it up in a query, words then also looked up), in the index's
normalised form; as in concepts.py the last word of each is looked up as the start of a word. A
phrase ending in a space is matched only as a whole word ("send " is not "sending").
"""

from __future__ import annotations

VOCABULARY: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    # Uniformed youth organisations.
    (
        ("uniformed",),
        ("scout", "guiding", "guides", "cadet", "brownies", "boys brigade", "beavers", "cubs"),
    ),
    # Music.
    (
        ("music",),
        ("music", "choir", "orchestra", "singing", "band", "concert"),
    ),
    # Sport and physical activity.
    (
        ("physically active", "physical activity", "inactive", "exercise", "sport", "fitness"),
        ("sport", "exercise", "fitness", "physical activity", "football", "swimming", "athlet"),
    ),
    # Reading, writing and number.
    (
        ("falling behind", "attainment", "basic skills", "literacy and numeracy", "tutoring"),
        ("literacy", "numeracy", "reading", "tutor", "homework", "maths"),
    ),
    # Getting online.
    (
        ("digital", "online", "internet", "computer"),
        ("digital", "computer", "internet", "online", "technology"),
    ),
    # Poverty and hardship.
    (
        ("hardship", "poverty", "cost of living", "in need", "destitut", "low income"),
        ("poverty", "hardship", "in need", "poor", "needy", "financial assistance"),
    ),
    # Funders.
    (("grant", "funder"), ("grant", "grant making", "funding", "donations")),
    # Long-term conditions.
    (
        ("chronic", "long term condition", "long term illness", "illness", "medical condition"),
        (
            "chronic",
            "long term",
            "cancer",
            "kidney",
            "diabetes",
            "arthritis",
            "heart",
            "sickle",
            "hiv",
            "patients",
            "sufferers",
        ),
    ),
    # Neurological conditions.
    (
        ("neurolog",),
        (
            "neurolog",
            "brain injur",
            "head injur",
            "epilep",
            "parkinson",
            "multiple sclerosis",
            "stroke",
        ),
    ),
    # Dementia.
    (("dementia", "alzheimer", "memory loss"), ("dementia", "alzheimer", "memory")),
    # Unpaid carers.
    (("carers", "caring for"), ("carers", "respite", "caring for")),
    # Short breaks.
    (("short break", "respite"), ("respite", "short break", "holiday", "play scheme")),
    # Bereavement.
    (("bereave", "grief", "grieving"), ("bereave", "grief", "loss")),
    # Refugees and migrants.
    (
        ("refugee", "asylum", "migrant", "immigra"),
        ("refugee", "asylum", "migrant", "immigra", "displaced"),
    ),
    # The armed forces community.
    (
        ("veteran", "armed forces", "ex service", "military", "service leavers"),
        ("veteran", "armed forces", "ex service", "military", "legion", "soldier"),
    ),
    # Ethnic minority communities and race equality.
    (
        ("ethnic minorit", "minority ethnic", "bame", "bme", "racism", "race equality"),
        ("ethnic minorit", "minority ethnic", "black", "asian", "african", "caribbean", "race"),
    ),
    # Faith groups.
    (
        ("faith", "religio", "worship"),
        (
            "faith",
            "church",
            "mosque",
            "synagogue",
            "temple",
            "gurdwara",
            "christian",
            "muslim",
            "jewish",
            "religio",
        ),
    ),
    # Food poverty (a query that only says "food" already looks it up: adding the words of
    # food banks to it would turn holiday activities with food into food banks).
    (
        ("hunger", "food poverty", "food insecurity", "food bank", "foodbank", "food parcel"),
        ("food bank", "foodbank", "food parcel", "hunger", "food"),
    ),
    # Meals together.
    (("lunch club", "meals on wheels", "luncheon"), ("lunch", "meals", "luncheon", "dining")),
    # Housing.
    (
        ("housing", "accommodation", "tenant", "supported living"),
        ("housing", "accommodation", "tenant", "supported living", "almshouse"),
    ),
    # Heritage.
    (
        ("heritage", "history", "historic"),
        ("heritage", "history", "historic", "museum", "archive", "preservation"),
    ),
    # The environment.
    (
        ("environment", "green space", "climate", "wildlife", "conservation", "nature"),
        (
            "environment",
            "conservation",
            "wildlife",
            "green space",
            "park",
            "garden",
            "nature",
            "trees",
        ),
    ),
    # The arts.
    (
        ("arts", "creative"),
        ("arts", "theatre", "drama", "dance", "creative", "music"),
    ),
    # Generations together.
    (
        ("intergeneration", "generations", "younger and older"),
        ("intergeneration", "generations", "all ages"),
    ),
    # First aid and emergencies.
    (
        ("first aid", "first responder", "lifesav", "defibrillat"),
        ("first aid", "first responder", "ambulance", "lifesav", "rescue", "defibrillat"),
    ),
    # Disability and special educational needs.
    (
        ("disab", "impair", "wheelchair", "special needs", "special educational", "send "),
        (
            "disab",
            "special needs",
            "special educational",
            "impair",
            "wheelchair",
            "additional needs",
        ),
    ),
    # Suicide and crisis.
    (
        ("suicid", "self harm", "mental health crisis"),
        ("suicid", "crisis", "self harm", "listening", "helpline"),
    ),
    # Talking therapies.
    (("counsel", "talking therap", "therapy"), ("counsel", "therap", "psycholog")),
    # Legal advice and advocacy.
    (("legal", "law "), ("legal", "law", "solicitor", "advice")),
    (("advocacy", "advocate"), ("advocacy", "advocate", "representation")),
    # Debt and money.
    (
        ("debt", "money advice", "budget", "financial capability"),
        ("debt", "money advice", "budget", "financial capability", "credit union"),
    ),
    # Places to meet.
    (
        ("community centre", "village hall", "venue", "meeting space", "premises", "hub"),
        ("community centre", "village hall", "hall", "premises", "venue", "community association"),
    ),
    # Women and girls.
    (("women", "girls"), ("women", "girls", "female")),
    # LGBT+ people.
    (
        ("lgbt", "gay", "lesbian", "transgender", "bisexual"),
        ("lgbt", "gay", "lesbian", "transgender", "bisexual"),
    ),
    # Animals.
    (("animal", "pets"), ("animal", "pets", "dogs", "cats", "rescue")),
    # Offending and criminal justice.
    (
        ("offend", "prison", "criminal justice", "probation"),
        ("offend", "prison", "criminal justice", "probation", "rehabilitat"),
    ),
    # Crime and antisocial behaviour.
    (
        ("antisocial", "anti social", "crime", "gang", "knife"),
        ("crime", "antisocial", "anti social", "diversionary", "gang"),
    ),
    # Children in and leaving care.
    (
        ("care leaver", "looked after", "in care", "leaving care"),
        ("care leaver", "looked after", "foster", "leaving care"),
    ),
    # Pregnancy, birth and babies.
    (
        ("maternity", "pregnan", "new parents", "babies", "breastfeed", "perinatal", "postnatal"),
        ("maternity", "pregnan", "baby", "babies", "breastfeed", "perinatal", "postnatal"),
    ),
    # Parenting and family support.
    (("parenting", "family support"), ("parenting", "family support", "parents", "families")),
    # Health inequalities and health promotion.
    (
        ("health inequalit", "public health", "health promotion"),
        ("health promotion", "health inequalit", "public health", "healthy"),
    ),
    # Play.
    (("play ", "playwork", "playground", "playscheme"), ("play", "playground", "playscheme")),
    # Sports grounds.
    (
        ("pitch", "sports facilit", "playing field", "sports ground"),
        ("pitch", "playing field", "sports ground", "facilities"),
    ),
    # Overseas aid.
    (
        ("overseas", "international development", "developing countries"),
        ("overseas", "developing countries", "international", "africa"),
    ),
    # Bringing communities together.
    (
        ("cohesion", "interfaith", "bringing communities together", "integration"),
        ("cohesion", "interfaith", "integration", "multicultural", "diversity"),
    ),
    # Learning for adults.
    (
        ("adult learning", "adult education", "lifelong learning", "courses", "classes"),
        ("adult education", "adult learning", "courses", "classes", "lifelong"),
    ),
    # Hospitals and patients.
    (("hospital", "nhs", "patients"), ("hospital", "patient", "nhs", "medical")),
    # The voluntary sector's own infrastructure.
    (
        ("infrastructure", "capacity building", "voluntary sector", "vcfse", "vcse", "umbrella"),
        ("voluntary", "capacity building", "infrastructure", "umbrella", "council for voluntary"),
    ),
    # Speech, language and communication.
    (
        ("speech", "language therap", "communication difficult", "stammer"),
        ("speech", "language", "communication", "stammer"),
    ),
    # Sexual violence and abuse.
    (
        ("sexual abuse", "sexual violence", "rape"),
        ("sexual abuse", "sexual violence", "rape", "survivors"),
    ),
    # Safeguarding and exploitation.
    (
        ("safeguard", "child protection", "exploitation", "neglect"),
        ("safeguard", "child protection", "abuse", "exploitation", "neglect"),
    ),
    (("trafficking", "modern slavery"), ("trafficking", "modern slavery", "exploitation")),
    # Sexual health.
    (("sexual health", "hiv", "aids "), ("sexual health", "hiv", "aids")),
    # Skills and apprenticeships.
    (
        ("apprentice", "vocational", "skills training"),
        ("apprentice", "vocational", "training", "skills"),
    ),
    # Growing and gardening.
    (
        ("gardening", "allotment", "growing", "horticultur"),
        ("garden", "allotment", "growing", "horticultur"),
    ),
    # Libraries and books.
    (("library", "libraries", "books"), ("library", "libraries", "books", "reading")),
    # Students.
    (
        ("student",),
        ("student", "university", "college", "scholarship", "bursar"),
    ),
    # Welfare benefits.
    (
        ("welfare benefits", "benefits advice", "welfare rights", "universal credit"),
        ("welfare benefits", "benefits", "welfare rights", "universal credit", "advice"),
    ),
)

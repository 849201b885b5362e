"""Word lists the generators draw from: invented combinations of ordinary words and real place
names, so that synthetic organisations read like real ones and searches hit them at realistic
rates. No list holds a double quote (the CSV writers rely on it)."""

from __future__ import annotations

import csv
from functools import cache

from . import SHARED_DATA

TOWNS = (
    "Altrincham Sale Stretford Urmston Partington Timperley Hale Bowdon Flixton Davyhulme "
    "Manchester Salford Bolton Bury Oldham Rochdale Stockport Tameside Wigan Leeds Bradford "
    "Sheffield Rotherham Doncaster Barnsley Wakefield Huddersfield Halifax York Hull Lincoln "
    "Nottingham Derby Leicester Coventry Birmingham Wolverhampton Walsall Dudley Solihull "
    "Worcester Hereford Gloucester Bristol Bath Swindon Oxford Reading Slough Luton Bedford "
    "Cambridge Norwich Ipswich Colchester Chelmsford Southend Basildon Canterbury Maidstone "
    "Dover Brighton Hove Worthing Crawley Guildford Woking Portsmouth Southampton Winchester "
    "Salisbury Bournemouth Poole Exeter Plymouth Truro Taunton Cardiff Swansea Newport Wrexham "
    "Chester Crewe Warrington Widnes Liverpool Birkenhead Southport Preston Blackpool Lancaster "
    "Blackburn Burnley Carlisle Kendal Darlington Durham Sunderland Gateshead Newcastle "
    "Middlesbrough Hartlepool Harrogate Scarborough Grimsby Scunthorpe Peterborough Northampton "
    "Kettering Bletchley Aylesbury Watford Stevenage Harlow Enfield Barnet Hackney Camden "
    "Islington Lambeth Southwark Lewisham Croydon Bromley Ealing Hounslow Brent Harrow "
    "Wandsworth Greenwich Newham Poplar Haringey Walthamstow Glasgow Edinburgh Dundee "
    "Aberdeen Inverness Stirling Perth Belfast Derry Lisburn Newry"
).split()

SURNAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips Mason "
    "Mitchell Rose Davis Rodriguez Cox Alexander Morgan Moore Harris Martin Cooper Ward Turner "
    "Hill Scott King Baker Edwards Hughes Young Allen Clark Lee Shaw Bell Hussain Ali Ahmed "
    "Begum Singh Kaur Murphy Kelly Campbell Stewart Murray Reid Fraser Graham Hamilton Kennedy "
    "Okafor Adeyemi Mensah Nowak Kowalski Silva Santos Costa Rossi Ferrari Nguyen Chen Wong Li"
).split()

BUSINESS_WORDS = (
    "Consulting Holdings Property Properties Trading Services Solutions Group Developments "
    "Logistics Digital Technologies Media Design Engineering Construction Investments Capital "
    "Ventures Partners Management Retail Foods Motors Electrical Plumbing Builders Estates "
    "Recruitment Marketing Studios Systems Software Analytics Energy Transport Freight Cleaning "
    "Catering Beauty Fitness Fashion Interiors Joinery Roofing Scaffolding Lettings Finance"
).split()

BRAND_PARTS = (
    "Apex Blue Bright Cedar Crown Delta Eagle Echo Falcon Granite Harbour Horizon Iron Kestrel "
    "Lime Maple Nova Oak Orbit Peak Pioneer Quantum Red River Sage Silver Solar Summit Swift "
    "Titan Urban Vertex Willow Zenith North South East West Prime Core Alpha Omega Star Arrow"
).split()

# (name pattern, activity phrase, weight). {town} is filled in; the weights make some searches
# common ("community") and others rare ("age uk") as they are in the real registers.
SOCIAL_THEMES: tuple[tuple[str, str, int], ...] = (
    ("{town} Youth Club", "youth work, clubs and activities for young people", 40),
    ("{town} Youth Project", "youth work and mentoring for young people aged 11 to 25", 25),
    ("{town} Young People's Trust", "support, advice and activities for young people", 10),
    ("Age UK {town}", "information, advice and day care for older people", 3),
    ("{town} Community Centre", "a community centre with rooms for local groups and events", 30),
    ("{town} Community Association", "community activities and events for local residents", 30),
    ("{town} Food Bank", "emergency food parcels for people in crisis", 12),
    ("{town} Foodbank", "emergency food and signposting for families in need", 6),
    ("{town} Mental Health Support", "peer support and counselling for mental health", 15),
    ("{town} Mind", "mental health support, talking therapies and advocacy", 4),
    ("{town} Carers Centre", "support, breaks and advice for unpaid carers", 8),
    ("{town} Sports Club", "sport and physical activity for all ages", 25),
    ("{town} Football Club", "grassroots football for children and adults", 30),
    ("{town} Cricket Club", "cricket coaching and matches for the community", 15),
    ("{town} Credit Union", "savings accounts and affordable loans for members", 3),
    ("{town} Housing Association", "affordable homes for rent and shared ownership", 6),
    ("{town} Arts Centre", "arts, theatre and exhibitions open to everyone", 10),
    ("{town} Theatre Company", "community theatre productions and drama workshops", 8),
    ("{town} Village Hall", "a village hall for community use", 25),
    ("{town} Men's Shed", "a workshop where men meet, make and mend together", 5),
    ("{town} Scout Group", "scouting activities for young people", 20),
    ("St Mary's Church {town}", "worship, pastoral care and community outreach", 20),
    ("{town} Playgroup", "early years play and learning for under fives", 12),
    ("{town} Hospice", "palliative and end of life care", 3),
    ("Citizens Advice {town}", "free, independent advice on debt, benefits and housing", 3),
    ("{town} Women's Aid", "refuge and support for women affected by domestic abuse", 3),
    ("{town} Refugee Support", "welcome, English classes and advice for refugees", 4),
    ("{town} Dementia Support", "dementia cafes and support for families", 5),
    ("{town} Allotment Society", "allotments and community growing", 6),
    ("{town} Heritage Trust", "conservation of local heritage and history", 8),
    ("{town} Wildlife Group", "wildlife conservation and volunteering outdoors", 6),
    ("Friends of {town} Park", "volunteers caring for a public park", 10),
    ("{town} Tenants and Residents Association", "a voice for tenants and residents", 10),
    ("{town} Community Energy", "community owned renewable energy", 3),
    ("{town} Community Pub", "a community owned pub and meeting place", 2),
    ("{town} Employment Support", "training, skills and help into work", 8),
    ("{town} Disability Forum", "advocacy and activities for disabled people", 5),
    ("{town} Music Festival", "an annual music festival run by volunteers", 5),
    ("{town} Education Trust", "grants and support for education and training", 12),
    ("{town} Welfare Fund", "grants to people in need in the area", 10),
)

BENEFICIARIES = (
    "local residents",
    "children and young people",
    "older people",
    "families on low incomes",
    "disabled people",
    "people experiencing homelessness",
    "carers",
    "refugees and asylum seekers",
    "the general public",
)

STREETS = (
    "High Street Church Road Station Road Park Road Victoria Road London Road Green Lane "
    "Manchester Road Chester Road Moss Lane Mill Lane School Lane King Street Queen Street "
    "Market Street Bridge Street Albert Road Stamford Street Cross Street Church Street"
).split(" ")
STREETS = tuple(" ".join(STREETS[i : i + 2]) for i in range(0, len(STREETS) - 1, 2))

POSTCODE_AREAS = (
    "AB AL B BA BB BD BH BL BN BR BS CA CB CF CH CM CO CR CT CV CW DA DD DE DH DL DN DT DY E EC "
    "EH EN EX FY G GL GU HA HD HG HP HR HU HX IG IP KT L LA LE LL LN LS LU M ME MK N NE NG NN NP "
    "NR NW OL OX PE PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TF TN TQ TR "
    "TS TW UB W WA WD WF WN WR WS WV YO"
).split()
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

SIC_CODES = (
    "62020 - Information technology consultancy activities",
    "70229 - Management consultancy activities other than financial management",
    "68209 - Other letting and operating of own or leased real estate",
    "41100 - Development of building projects",
    "43390 - Other building completion and finishing",
    "47910 - Retail sale via mail order houses or via Internet",
    "56101 - Licensed restaurants",
    "56302 - Public houses and bars",
    "49410 - Freight transport by road",
    "82990 - Other business support service activities n.e.c.",
    "96020 - Hairdressing and other beauty treatment",
    "86900 - Other human health activities",
    "85590 - Other education n.e.c.",
    "88990 - Other social work activities without accommodation n.e.c.",
    "94990 - Activities of other membership organisations n.e.c.",
    "93120 - Activities of sport clubs",
    "90030 - Artistic creation",
    "64209 - Activities of other holding companies n.e.c.",
    "74909 - Other professional, scientific and technical activities n.e.c.",
    "99999 - Dormant Company",
    "None Supplied",
)

ACCOUNT_CATEGORIES = (
    "MICRO ENTITY",
    "TOTAL EXEMPTION FULL",
    "UNAUDITED ABRIDGED",
    "DORMANT",
    "SMALL",
    "FULL",
    "NO ACCOUNTS FILED",
)


@cache
def trafford_postcodes() -> tuple[str, ...]:
    """Real Trafford postcodes (ONSPD subset), so some synthetic organisations are local."""
    with open(SHARED_DATA / "places" / "trafford_postcodes.csv", newline="") as handle:
        return tuple(row["postcode"] for row in csv.DictReader(handle))


@cache
def english_local_authorities() -> tuple[tuple[str, str], ...]:
    """(GSS code, name) of the 296 English local authority districts (2024 codes)."""
    seen: dict[str, str] = {}
    with open(SHARED_DATA / "places" / "english_local_authorities_iod2025.csv", newline="") as f:
        for row in csv.DictReader(f):
            seen.setdefault(row["area_code"], row["area_name"])
    return tuple(sorted(seen.items()))


@cache
def ccew_local_authority_names() -> tuple[str, ...]:
    """Local authority names as the Charity Commission writes them in area of operation."""
    with open(SHARED_DATA / "places" / "ccew_area_of_operation_gss.csv", newline="") as handle:
        return tuple(
            row["aooname"].title() for row in csv.DictReader(handle) if row["aootype"] == "B"
        )

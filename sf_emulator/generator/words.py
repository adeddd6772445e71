"""Word lists for realistic-looking values, and the pure functions that name people and companies.

Names are functions of (salt, row index) rather than draws from a random stream, so a row that
copies another record's name (CampaignMember, Case.ContactEmail, OpportunityLineItem.Name) can
recompute it without the generator keeping every name in memory.
"""

from functools import lru_cache

FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
    "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
    "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret",
    "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua", "Michelle",
    "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah", "Timothy", "Stephanie",
    "Ronald", "Rebecca", "Jason", "Sharon", "Edward", "Laura", "Jeffrey", "Cynthia", "Ryan", "Dorothy",
    "Jacob", "Amy", "Gary", "Kathleen", "Nicholas", "Angela", "Eric", "Shirley", "Jonathan", "Emma",
    "Stephen", "Brenda", "Larry", "Pamela", "Justin", "Nicole", "Scott", "Anna", "Brandon", "Samantha",
    "Benjamin", "Katherine", "Samuel", "Christine", "Gregory", "Debra", "Alexander", "Rachel", "Patrick",
    "Carolyn", "Frank", "Janet", "Raymond", "Maria", "Jack", "Olivia", "Dennis", "Heather", "Jerry", "Helen",
    "Tyler", "Catherine", "Aaron", "Diane", "Jose", "Julie", "Adam", "Victoria", "Nathan", "Joyce", "Henry",
    "Lauren", "Zachary", "Kelly", "Douglas", "Christina", "Peter", "Ruth", "Kyle", "Joan", "Noah", "Virginia",
    "Ethan", "Judith", "Jeremy", "Evelyn", "Walter", "Hannah", "Christian", "Andrea", "Keith", "Megan",
    "Roger", "Cheryl", "Terry", "Jacqueline", "Austin", "Madison", "Sean", "Teresa", "Gerald", "Abigail",
    "Carl", "Sophia", "Harold", "Martha", "Dylan", "Sara", "Arthur", "Gloria", "Lawrence", "Janice", "Jordan",
    "Kathryn", "Jesse", "Ann", "Bryan", "Isabella", "Billy", "Judy", "Bruce", "Charlotte", "Gabriel", "Julia",
    "Joe", "Grace", "Logan", "Amber", "Alan", "Alice", "Juan", "Jean", "Albert", "Denise", "Willie", "Frances",
    "Elijah", "Danielle", "Wayne", "Marilyn", "Randy", "Natalie", "Vincent", "Beverly", "Mason", "Diana",
    "Roy", "Brittany", "Ralph", "Theresa", "Bobby", "Kayla", "Russell", "Alexis", "Bradley", "Doris", "Philip",
    "Lori", "Eugene", "Tiffany", "Priya", "Wei", "Hiroshi", "Aisha", "Mateo", "Lucia", "Omar", "Ingrid",
    "Lars", "Yuki", "Chen", "Fatima", "Raj", "Sofia", "Andre", "Elena", "Tariq", "Mei", "Kofi", "Amara",
)  # fmt: skip

LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
    "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
    "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
    "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
    "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez",
    "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart",
    "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
    "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks",
    "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo",
    "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Powell", "Jenkins", "Perry", "Russell",
    "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes", "Gonzales", "Fisher", "Vasquez",
    "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham", "Reynolds", "Griffin",
    "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson", "Ellis", "Tran", "Medina",
    "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens", "Harrison", "Fernandez",
    "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen", "Freeman", "Webb",
    "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter", "Gordon", "Mendez",
    "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks", "Holmes", "Palmer", "Wagner",
    "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox", "Warren", "Mills", "Meyer", "Rice",
    "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens", "Soto", "Weaver", "Ryan", "Gardner",
    "Payne", "Grant", "Dunn", "Kelley", "Spencer", "Hawkins", "Arnold", "Pierce", "Hansen", "Peters",
    "Santos", "Hart", "Bradley", "Knight", "Elliott", "Cunningham", "Duncan", "Armstrong", "Hudson", "Carroll",
    "Lane", "Riley", "Andrews", "Ray", "Berry", "Perkins", "Hoffman", "Johnston", "Matthews", "Pena", "Yamada",
    "Okafor", "Kowalski", "Nakamura", "Singh", "Larsen", "Rossi", "Dubois", "Novak", "Haddad", "Ivanov",
)  # fmt: skip

COMPANY_WORDS = (
    "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Wonka", "Tyrell", "Cyberdyne", "Soylent",
    "Vandelay", "Hooli", "Pied Piper", "Massive", "Dynamic", "Pinnacle", "Summit", "Apex", "Vertex", "Nimbus",
    "Blue Ridge", "Red Rock", "Silver Lake", "Golden Gate", "Evergreen", "Northwind", "Southpoint",
    "Eastgate", "Westfield", "Harbor", "Granite", "Cedar", "Maple", "Oakwood", "Pine Valley", "Riverbend",
    "Lakeside", "Highland", "Sterling", "Beacon", "Keystone", "Liberty", "Pioneer", "Frontier", "Horizon",
    "Quantum", "Nova", "Stellar", "Orbit", "Polaris", "Zenith", "Atlas", "Titan", "Orion", "Vega", "Lumen",
    "Vector", "Matrix", "Nexus", "Fusion", "Catalyst", "Ember", "Falcon", "Eagle", "Hawk", "Phoenix",
    "Bright", "Clearwater", "Crystal", "Diamond", "Emerald", "Sapphire", "Ironclad", "Redwood", "Sequoia",
    "Aspen", "Willow", "Birch", "Juniper", "Magnolia", "Coastal", "Prairie", "Canyon", "Mesa", "Alpine",
)  # fmt: skip

COMPANY_KINDS = (
    "Systems", "Technologies", "Industries", "Solutions", "Labs", "Logistics", "Energy", "Health",
    "Foods", "Media", "Networks", "Robotics", "Analytics", "Consulting", "Manufacturing", "Partners",
    "Holdings", "Capital", "Pharma", "Retail", "Motors", "Aerospace", "Software", "Biotech", "Telecom",
    "Construction", "Hospitality", "Insurance", "Logic", "Dynamics", "Materials", "Outfitters",
)  # fmt: skip

COMPANY_SUFFIXES = ("Inc.", "LLC", "Corp.", "Ltd.", "Group", "Co.", "GmbH", "S.A.", "PLC", "")

# (city, state, postal code, country, latitude, longitude): components of one coherent address.
CITIES = (
    ("San Francisco", "CA", "94105", "USA", 37.79, -122.39), ("New York", "NY", "10001", "USA", 40.75, -73.99),
    ("Chicago", "IL", "60601", "USA", 41.89, -87.62), ("Austin", "TX", "78701", "USA", 30.27, -97.74),
    ("Seattle", "WA", "98101", "USA", 47.61, -122.33), ("Boston", "MA", "02108", "USA", 42.36, -71.06),
    ("Denver", "CO", "80202", "USA", 39.75, -104.99), ("Atlanta", "GA", "30303", "USA", 33.75, -84.39),
    ("Miami", "FL", "33131", "USA", 25.77, -80.19), ("Portland", "OR", "97204", "USA", 45.52, -122.68),
    ("Phoenix", "AZ", "85004", "USA", 33.45, -112.07), ("Dallas", "TX", "75201", "USA", 32.79, -96.80),
    ("Minneapolis", "MN", "55401", "USA", 44.98, -93.27), ("Nashville", "TN", "37203", "USA", 36.15, -86.79),
    ("Raleigh", "NC", "27601", "USA", 35.78, -78.64), ("San Diego", "CA", "92101", "USA", 32.72, -117.16),
    ("Philadelphia", "PA", "19103", "USA", 39.95, -75.17), ("Detroit", "MI", "48226", "USA", 42.33, -83.05),
    ("Salt Lake City", "UT", "84101", "USA", 40.76, -111.89), ("Columbus", "OH", "43215", "USA", 39.96, -83.00),
    ("Toronto", "ON", "M5H 2N2", "Canada", 43.65, -79.38), ("London", "", "EC2V 7HH", "United Kingdom", 51.51, -0.09),
    ("Berlin", "BE", "10117", "Germany", 52.52, 13.39), ("Paris", "", "75002", "France", 48.87, 2.34),
    ("Tokyo", "", "100-0005", "Japan", 35.68, 139.77), ("Sydney", "NSW", "2000", "Australia", -33.87, 151.21),
)  # fmt: skip

STREETS = (
    "Main St", "Market St", "Oak Ave", "Pine St", "Maple Ave", "Cedar Rd", "Elm St", "Washington Blvd",
    "Lake Shore Dr", "Park Ave", "Broadway", "Mission St", "Sunset Blvd", "Commerce Way", "Industrial Pkwy",
    "Innovation Dr", "Harbor Blvd", "River Rd", "Hill St", "Spring St", "Church St", "Highland Ave",
)  # fmt: skip

TITLES = (
    "CEO", "CFO", "CTO", "COO", "VP, Sales", "VP, Marketing", "VP, Engineering", "Director of Operations",
    "Director of IT", "Purchasing Manager", "Account Manager", "Sales Manager", "Marketing Manager",
    "Product Manager", "Software Engineer", "Senior Buyer", "Procurement Specialist", "Office Manager",
    "Operations Analyst", "Head of Finance", "Controller", "IT Manager", "Project Manager", "Consultant",
    "SVP, Administration and Finance", "Regional General Manager", "EVP, Manufacturing", "Business Analyst",
)  # fmt: skip

DEPARTMENTS = (
    "Sales", "Marketing", "Engineering", "Finance", "Operations", "IT", "Procurement", "Human Resources",
    "Legal", "Customer Success", "Support", "Product", "Executive", "Research",
)  # fmt: skip

LOREM = (
    "customer", "requested", "pricing", "update", "renewal", "contract", "follow", "up", "meeting", "demo",
    "quarterly", "review", "budget", "approval", "pending", "integration", "rollout", "timeline", "proposal",
    "discussed", "requirements", "next", "steps", "shipping", "invoice", "escalation", "resolved", "issue",
    "install", "training", "onboarding", "expansion", "license", "support", "priority", "feedback", "team",
    "decision", "maker", "evaluation", "security", "compliance", "migration", "warehouse", "delivery", "the",
    "and", "for", "with", "from", "regarding", "about", "new", "current", "annual", "region", "partner",
)  # fmt: skip

PRODUCT_LINES = (
    ("GenWatt Diesel", "Hardware", ("10kW", "200kW", "1000kW")), ("GenWatt Propane", "Hardware", ("100kW", "500kW")),
    ("GenWatt Gasoline", "Hardware", ("300kW", "750kW", "2000kW")), ("SLA", "Services", ("Bronze", "Silver", "Gold", "Platinum")),
    ("Installation", "Services", ("Portable", "Industrial", "Campus")), ("CloudSync", "Software", ("Starter", "Team", "Enterprise")),
    ("DataVault", "Software", ("1TB", "10TB", "100TB")), ("Insight Analytics", "Software", ("Basic", "Pro", "Unlimited")),
    ("EdgeRouter", "Hardware", ("X1", "X5", "X10")), ("Training", "Services", ("Online", "On-site", "Certification")),
)  # fmt: skip

COMPETITORS = (
    "Northwind Traders", "Contoso", "Fabrikam", "Litware", "Adventure Works", "Tailspin Toys", "Proseware",
    "Woodgrove", "Fourth Coffee", "Lucerne Publishing", "Wide World Importers", "Alpine Ski House",
)  # fmt: skip

CASE_SUBJECTS = (
    "Generator not starting", "Unable to log in", "Invoice discrepancy", "Shipment delayed", "Performance issue",
    "Feature request", "Password reset needed", "Error on export", "Integration failing", "Billing question",
    "Data missing after upgrade", "Install assistance requested", "Replacement part needed", "Seal leaking",
    "Power fluctuation under load", "License key not accepted", "Slow report loading", "Account locked",
)  # fmt: skip

SOLUTION_TITLES = (
    "How to reset a user password", "Restarting the generator after an outage", "Resolving invoice mismatches",
    "Configuring single sign-on", "Replacing the fuel filter", "Exporting data to CSV", "Fixing sync errors",
    "Upgrading firmware safely", "Setting up email alerts", "Troubleshooting slow reports",
    "Requesting a replacement part", "Reading the error log", "Scheduling preventive maintenance",
)  # fmt: skip

TAG_WORDS = (
    "hot", "vip", "renewal", "q4", "follow-up", "partner", "enterprise", "smb", "churn-risk", "upsell",
    "priority", "west", "east", "emea", "apac", "strategic", "trial", "reference", "beta", "archive",
)  # fmt: skip

ACTIVITY_SUBJECTS = (
    "Call", "Email", "Follow up", "Send Quote", "Send Letter", "Demo", "Check in", "Discovery call",
    "Contract review", "Intro meeting", "Quarterly business review", "Onsite visit",
)  # fmt: skip

LOCATIONS = ("Zoom", "Phone", "Customer office", "HQ Room 4B", "Teams", "Cafe downtown", "Conference center")

CAMPAIGN_THEMES = (
    "Spring Launch", "Summer Webinar Series", "User Conference", "Partner Summit", "Holiday Promo",
    "Product Tour", "Trade Show", "Newsletter", "Customer Advisory Board", "Roadshow", "Free Trial Push",
)  # fmt: skip


def mix(value: int) -> int:
    """A 64-bit avalanche hash (splitmix64 finaliser): neighbouring rows get unrelated names."""
    value = (value + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return value ^ (value >> 31)


def person(salt: int, index: int) -> tuple[str, str]:
    h = mix(salt ^ index)
    return FIRST_NAMES[h % len(FIRST_NAMES)], LAST_NAMES[(h >> 20) % len(LAST_NAMES)]


def company(salt: int, index: int) -> str:
    h = mix(salt ^ index)
    word = COMPANY_WORDS[h % len(COMPANY_WORDS)]
    kind = COMPANY_KINDS[(h >> 16) % len(COMPANY_KINDS)]
    suffix = COMPANY_SUFFIXES[(h >> 32) % len(COMPANY_SUFFIXES)]
    return f"{word} {kind} {suffix}".strip()


@lru_cache(maxsize=65536)
def domain(name: str) -> str:
    """'Acme Robotics Inc.' → 'acmerobotics.com'."""
    words = name.lower().split()
    core = "".join(c for c in "".join(words[:2]) if c.isalnum())
    return f"{core or 'example'}.com"


def email(first: str, last: str, host: str) -> str:
    return f"{_local(first, last)}@{host}"


@lru_cache(maxsize=65536)
def _local(first: str, last: str) -> str:
    return "".join(c for c in f"{first}.{last}".lower() if c.isalnum() or c == ".")

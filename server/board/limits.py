"""How much the board holds: the lengths and counts past which an op is refused."""

MAX_TEXT = 2000
MAX_ATTRIBUTION = 80
MAX_TITLE = 200
MAX_NAME = 80
MAX_CARDS = 500  # live cards
# Every card a board keeps, removed ones included: a removed card stays whole (its words,
# who and when) so that "Undo" (`card.restore`) can bring it back, so removing does not
# make room for ever more.
MAX_CARDS_KEPT = 1000
# Everyone who has joined, those taken out included (minutes and the audit name them).
MAX_PARTICIPANTS = 200
MAX_ID = 64
# A position key longer than this makes the core re-space its section.
MAX_POSITION = 32
MAX_QUESTION = 300
MAX_ANCHOR = 120
MAX_REASON = 500
MAX_SCALES = 50
MAX_OWNER = 80
MAX_NOTE = 2000
MAX_LABEL = 120
MAX_PART = 300  # each part of a composed worry statement or safety goal
MAX_HARMS = 20  # harm cards one worry statement names
SCALE_MIN, SCALE_MAX = 0, 10
MAX_LINK_DAYS = 90  # how long a link may work
DEFAULT_WORRY_THRESHOLD = 2
MAX_STEP = 80  # an agenda step's name
MAX_STEPS = 20  # steps in a meeting's agenda
# A shared timer runs for at least this and at most this many seconds (extensions too).
MIN_TIMER_SECONDS, MAX_TIMER_SECONDS = 10, 3 * 60 * 60
# How far ahead family time's expected end may be: past this it is a typing mistake.
MAX_FAMILY_TIME_MINUTES = 240
MAX_FAMILY_ITEMS = 100  # lines of the family's own plan, removed ones included
# A child's three houses: how much one child may put in them, and a drawing's size.
MAX_HOUSE_ITEMS = 60  # each child's, in all three houses
MAX_HOUSE_WORDS = 500
MAX_STROKES = 200
MAX_POINTS = 20_000  # in one drawing, all its strokes together
# Interpreters' translations a board keeps (one per interpreter and thing translated): as
# many as the cards it keeps, a few interpreters each.
MAX_TRANSLATIONS = 3000
DRAWING_SIZE = 1000  # a drawing's x and y run from 0 to this
MIN_AGE, MAX_AGE = 0, 25

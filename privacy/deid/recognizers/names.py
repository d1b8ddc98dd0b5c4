"""Person names: patients, clinicians, relatives (Safe Harbor item 1).

No NER model (see engine.py): names come from dictionaries + context + capitalisation.
- Lexicons: Faker's en_US first/last names (MIT), name-shaped common words ("Hope", "Brown") that need
  stronger evidence, and the medical allow-list (eponyms "Foley", "Murphy", drugs, abbreviations): never a
  name without a title.
- Evidence, strongest first: a title ("Dr.", "MRS"), a credential ("Jane Roe, RN"), a label ("Attending:",
  "Signed by"), a relation word ("daughter Grace"), "LAST, FIRST", first+last pair, a dictation/signature
  mark, a single dictionary name. ALL-CAPS tokens (nursing notes) count only when in a name list.
- Initials: 2-3 capitals after a person cue ("requested by KEO", "staff nurse MMA", "officer VAG"; a "<verb>
  by" cue only for verbs of people, so "diagnosed by CT" is kept), before a credential on their own line
  ("AB RN"; care units "ED RN" excluded), a typist's "/jk" or a lone "jks" ending the note. Teams/tests
  (_SERVICES) are never initials.
- A name before a credential without a comma ("Lot Hosey MD" ending a line): each word must be a listed
  name or no known word, except a given name heading the line or an allow-listed surname after a listed
  given name ("Giulio Pons MD").
- Header lines: a name before an id number (not a date), "- dob", "aged"; on ALL-CAPS header lines the
  line's shape vouches for an ordinary-word second name ("BEYDA NEE  75-96-714").
- Shape evidence that needs no list: "FIRST I LAST" with a middle initial (neither word an ordinary word);
  "I. WORD" after a cue (an initial with a period, then the surname: "CHARGE RN T. MEADOW"); a line (or
  sentence) holding only a name before chained credentials and a staff number ("TEVA HOLLY QUORVIN RN CWOCN
  12345"); an eponym as the surname right before a credential after a given name/initial ("Ulla Foley, RN");
  "LAST,FIRST" after a label and a colon whatever the words ("PT: QUARNE,LIGHT"); an ordinary given name
  after a kin word when a surname follows ("SON HARDY TRELLMAN"); initials after a person-role label
  ("Sonographer: WQ"), a credential ending a line ("RN. ZK") or in brackets ("(JQ/PX)").
- Against over-scrubbing: role words chain into one label ("ORDERING PROVIDER:"); a tab ends a name (columns);
  after a cue without a colon ("Patient Message") and after a kin word ("SON ... NOTIFIED") an ordinary
  English word is no name; a credential is no given name ("Tamsen, MD").
- Shapes of names outside prose: a lower-case login "first.last"/"first_last" with a listed or unknown part
  (not "client_ip", "swollen.my"), any token after a login cue ("logged in as", "User ID:"), the name-like
  parts of a file name ("zheng_wound1.jpg"), a handle after "@", lower-case dotted initials where initials
  sign (a role label, a bracket, "/s/", "by", a field's end: "Tech: l.e.", "(k.m.)"; clinical "p.o.",
  "b.i.d.", "l.e." kept unless after a person's role), a lower-case double given name ("anne-catherine"),
  a surname and initial before an id ("Child, R.  (E123)"); clergy titles and police ranks ("FR. FRIEND",
  "Officer Real"; "14 Fr. Foley" is a catheter); an initial and a surname after a role noun ("physician
  advisor S Quick"); a credential as a prefix ("CRNA YEVA"); a month as the given name before a surname and
  a credential ("Jun Guzenko, RN"); an ordinary given name in a header "LAST, FIRST" closing a field ("PT
  QUARVEV, CHANCE   MRN"); an allow-listed given name between a kin word and an unknown surname ("WIFE RUE
  QUARVEV"); one ordinary word closing the clause after "by" and a credential ("FOUND BY CNA HUNG.").
- Shapes of rows and signatures (any case): a cell of a table row whose other cells are an id, an age or a
  date ("date may 12    roe jane    18-7226861    (age 93)"); the name-like words before ", 75/F"; 2-4
  capitals in brackets after a credential or a found name ("Jo Roe, MD (JMR)"; a unit word there only when
  it spells the initials of the words before the credential or of the name; a word between a found name
  and initials spelling both is the surname: "NURSE AMLA OAK (AO)"); two dotted initials before an ordinary
  word ("K. K. Nail"); a given name and a surname initial before a bracketed role or after a role noun
  ("Echo P. (SW)", "educator Ilia P."); a user id after "e-signature:"; file names of signal and image
  formats (.edf).
- Tables and brackets: a "|"/tab table column headed by a person's role ("NURSE", "Given by", "PATIENT") holds
  initials or names; a lower-case word repeated in a bracketed name after it ("chidi (Chidi Roe)"); one word
  in brackets after a found name is the given name ("ROE (CHIDI)"; not a language, role or record state);
  dotted initials spelling a found name in brackets or after a slash ("(J.R.)", "MD / J.R."); "scribe RT".
- Over-reach: a role or signing word heading "<role> Jo Roe, MD" ("Physician", "Signature", "PI") is no part
  of the name; words found only in a file name ("spect_roe.zip") are not propagated to acronyms in prose.
- Every candidate is trimmed token by token (a cue can over-reach: "Dr. Smith Today") and each found name is
  propagated to its other mentions in the same document ("Mr. Smith ... Smith agreed"), to the possessive
  of any of its words ("RUE'S", "Jun's"), into underscore-joined tokens ("rain_wound1.jpg"), with an initial
  glued before it ("C.Roe") and a given-name initial after it ("(ROE, S.)").
"""

from __future__ import annotations

import re
from functools import lru_cache

from presidio_analyzer import RecognizerResult

from medfl.privacy.deid.recognizers.base import (
    MONTH_ABBREVS,
    MONTH_NAMES,
    WEEKDAYS,
    MedflPatternRecognizer,
    load_lexicon,
)
from medfl.privacy.deid.recognizers.philter import _ENGLISH_SHAPE, LF_INITIAL
from medfl.privacy.deid.recognizers.philter import _EPONYM_AFTER as _EPONYM_NEXT
from medfl.privacy.deid.recognizers.philter import _STRONG_PERSON_CUE as _PERSON_BEFORE
from medfl.privacy.deid.recognizers.philter import TERM_HEAD_AFTER as _TERM_HEAD_NEXT

_NAMEWORD = r"(?:(?:Mc|Mac|O'|D'|De|Di|La|Le|Van|Von)?[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?)"
_CAPSWORD = r"(?:(?:[A-Z]')?[A-Z]{2,}(?:-[A-Z]{2,})?)"
_WORD = rf"(?:{_NAMEWORD}|{_CAPSWORD})"
_INI = r"(?:[A-Z](?:\.|(?![A-Za-z'-])))"  # an initial: "A." or a lone capital, never the start of a word
_SEQ = rf"(?:{_WORD}(?:[ \t]+{_INI})?(?:[ \t]+{_WORD}){{0,2}})"
_DATE_LIKE = r"(?:\d{4}-\d\d-\d\d|(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01])-(?:\d{4}|\d\d)\b)"
_SEQ_AT_END = re.compile(rf"(?<![\w'-])(?:{_INI}[ \t]*)?{_SEQ}$")
_LASTFIRST = rf"(?:{_WORD}[ \t]*,[ \t]*{_WORD}(?:[ \t]+{_INI})?)"
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]")
_LOW_TOKEN = re.compile(r"(?<![\w'-])[a-z][a-z'-]*[a-z](?![\w'-])")
_CAP_TOKEN = re.compile(r"(?<![\w'-])[A-Z][A-Za-z'-]*[A-Za-z](?![\w'-])")

_TITLE_WORDS = {"mr", "mrs", "ms", "miss", "mx", "dr", "drs", "prof", "professor", "doctor"}
_TITLES = r"(?:mr|mrs|ms|miss|mx|dr|drs|prof|professor|doctor)"
# clergy titles, written with a full stop or as a word, and police ranks: "FR. FRIEND", "Officer Real"
_TITLES_OTHER = (
    r"(?<!\d )(?:(?:Fr|FR|Rev|REV|Sgt|SGT|Cpl|CPL|Det|DET|Hon|HON|Capt|CAPT|Lt|LT)\.|"
    r"(?:Sgt|SGT|Cpl|CPL)(?=[ \t])|"
    r"(?:Pastor|PASTOR|Rabbi|RABBI|Imam|IMAM|Reverend|"
    r"REVEREND|Officer|OFFICER|Deputy|DEPUTY|Detective|DETECTIVE|Sergeant|SERGEANT|Trooper|TROOPER|"
    r"Judge|JUDGE|Justice|JUSTICE|Magistrate|MAGISTRATE|Honorable|HONORABLE)(?=[ \t]))"
)
_CREDENTIALS = (
    r"(?:MD|M\.D\.|DO|D\.O\.|RN|BSN|NP|PA-C|PA|APRN|CNP|FNP|FNP-BC|ANP|PhD|PharmD|RPh|LPN|LVN|CNA|MSW|"
    r"LCSW|DPT|OTR|RD|RRT|CRNA|DDS|DMD|MBBS|FACP|FACC|FACS|CNM|CWOCN|CWON|CWCN|CWS|CDE|CDCES|CCRN|CEN|CPEN|"
    r"CNRN|OCN|RN-BC|MSN|DNP|MPH|CRNP|AGNP|AGACNP|ACNP|PMHNP|FNP-C|ANP-BC|CNS|CPNP|WHNP|IBCLC|LICSW|LMSW|"
    r"LMFT|LPC|PsyD|CCM|MDiv|MDIV|M\.Div\.|BCC|DMin|CCC-SLP|SLP|OTR/L|RDMS|RDCS|RVT|RT\(R\)|CNMT|EMT|EMT-P|NRP|CPhT|BCPS|CACP|DC)"
)
_STRONG_LABELS = (
    r"(?:attending|resident|fellow|intern|physician|surgeon|provider|author|signed(?:\s+electronically)?\s+by|"
    r"electronically\s+signed\s+by|dictated\s+by|transcribed\s+by|co-?signed\s+by|reviewed\s+by|"
    r"pcp|primary\s+care(?:\s+(?:physician|provider|doctor))?|referring(?:\s+(?:physician|provider|md|doctor))?|"
    r"consultant|case\s+manager|social\s+worker|emergency\s+contact|guardian|hcp|health\s+care\s+proxy|proxy|poa|"
    r"next\s+of\s+kin|nok|patient\s+name|pt\s+name|name|patient|caregiver|interpreter|chaplain|cc|nurse|"
    r"seen\s+(?:by|with)|discussed\s+with|d/w|spoke\s+(?:with|to)|per|by|paged|called|notified|pt|ordering|"
    r"dictating|admitting|covering|on-call|cosign|witness|rn|np|pa|officer|tech|technician|therapist|aide|"
    r"pharmacist|dietitian|paramedic|sitter|student|sonographer|technologist|radiographer|scribe|"
    r"transcriptionist|phlebotomist|perfusionist|anesthetist|anesthesiologist|midwife|counselor|psychologist|"
    r"cna|lpn|emt|crna|aprn|lvn|cnm|rrt|msw|lcsw|medic|charge|accepting|sending|receiving|performing|"
    r"interpreting|reading|submitting|specialist|supervisor|coordinator|navigator|educator|phleb|histotech|"
    r"from(?=[ \t]*:)|to(?=[ \t]*:)|sender|recipient)"
)
_RELATIONS = (
    r"(?:wife|husband|spouse|partner|daughter|son|mother|father|mom|dad|sister|brother|sibling|aunt|uncle|niece|"
    r"nephew|cousin|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|friend|neighbor|neighbour|"
    r"boyfriend|girlfriend|fiance|fiancee|roommate|stepson|stepdaughter|stepmother|stepfather|infant|newborn)"
    r"(?:-in-law)?(?:'s)?"
)


def _caps_line(text: str, pos: int) -> bool:
    """The line holding `pos` is written in capitals (nursing-note style)."""
    a, b = text.rfind("\n", 0, pos) + 1, text.find("\n", pos)
    return _caps_text(text[a : b if b >= 0 else len(text)])


@lru_cache(maxsize=4096)
def _caps_text(line: str) -> bool:
    """Cached per line: a note asks about the same line once per candidate on it (speed)."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


# Teams, roles and tests written in capitals where initials also appear ("seen by GI", "ED RN", "read by CT")
_SERVICES = frozenset(
    "ed er icu micu sicu ccu cvicu nicu picu pacu or gi id ir pt ot st slp sw cm rt ent ems pcp md do rn "
    "np pa lpn lvn cna rrt rd ob gyn im fm nsgy cts heme onc pulm neuro psych derm uro ortho vna snf "
    "ct mri us xr cxr ekg ecg eeg emg abg pcr tte tee kub pet fda cdc nih who ama va dr mr ms mrs "
    "nh hha ma er ltc rpt obs aox".split()
)
_FIELD_GAP = re.compile(r"(?<=[^,\s])(?: {3,}|\t)")  # three spaces or a tab between two fields
_INITIALS = r"(?:[A-Z]{2,3}|[A-Z]\.[ \t]?[A-Z]\.(?:[ \t]?[A-Z]\.)?)"  # "JKS", "J.K.", "J. K. S."
_TITLE_CUES_INI = (
    r"(?:(?P<verb>[a-z-]{4,})\s+by|officer|nurse|tech|technician|therapist|aide|interpreter|pharmacist|"
    r"sitter|attending|resident|fellow|intern|student|scribe|recorder|witness|phlebotomist|phleb|"
    r"sonographer|technologist)"
)
# verbs whose "<verb> by" introduces a person (not "diagnosed by CT", "measured by BMI")
_BY_VERBS = frozenset(
    "requested reviewed signed seen dictated ordered entered verified read performed examined evaluated "
    "written completed documented approved authored called paged cosigned co-signed transcribed checked "
    "witnessed administered drawn collected reported interpreted accepted received".split()
)


def _by_verb(word: str) -> bool:
    """A verb of _BY_VERBS, also with two adjacent letters swapped ("Reuqested by")."""
    if word in _BY_VERBS:
        return True
    return any(word[:i] + word[i + 1] + word[i] + word[i + 2 :] in _BY_VERBS for i in range(len(word) - 1))


# label words that name a person's role ("Sonographer:", "Pathologist:", "Reviewed by:")
_PERSON_ROLE = re.compile(
    r"(?i)(?:grapher|ologist|ist|ician|nurse|scribe|by|reader|operator|assistant|author)$"
)
_CRED_WORDS = frozenset(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]*", _CREDENTIALS)) - {"r"}
_HEAD = re.compile(r"(?m)(?:^|[.!?;])[ \t]*\Z")  # the start of a line or of a sentence (searched with endpos)
_ROLE_BEFORE = re.compile(r"\b([A-Za-z]+(?:er|or|ist|ian|ant|ive|by))[ \t]*:$")
_CRED_BEFORE = re.compile(rf"\b{_CREDENTIALS}[.,]$")
# clinical abbreviations written as lower-case dotted letters; any other "k.m." is a person's initials
_DOTTED_TERMS = frozenset(
    "a.m. p.m. p.o. i.v. i.m. s.c. s.q. s.l. p.r. q.d. q.h. h.s. a.c. p.c. o.d. o.s. o.u. a.d. a.s. a.u. "
    "b.i.d. t.i.d. q.i.d. q.o.d. q.h.s. q.a.m. q.p.m. n.p.o. p.r.n. i.e. e.g. c.f. v.s. n.b. d.c. y.o. "
    "a.k.a. r.o. w.n.l. n.k.a. s.o.b. u.s. p.t. o.t. n.g. g.t. i.d. m.d. r.n. d.o. n.p. p.a. t.i.w. q.w. "
    "l.e. u.e. b.l. c.o. s.p. f.u. n.v. p.t.a. n.a. p.e. c.c. h.p.i. r.r.r. u.a. b.m. w.c. n.s. s.t.".split()
)
# where initials sign: after a bracket, "/s/", "--", "by", "per", "cc" or "initials"; or closing a field
_DOTTED_SIG_BEFORE = re.compile(r"(?i)(?:\(|/s/|--|\b(?:by|per|cc|initials|signed))[ \t]*:?[ \t]*$")
_DOTTED_SIG_AFTER = re.compile(r"[ \t]*(?:\)|$|\t|[ \t]{2}|[,;])", re.M)
_ROLE_COLON_BEFORE = re.compile(r"\b([A-Za-z]{2,})[ \t]*:[ \t]*\(?$")  # "Tech: ", "Scribe: (" before the hit
_BY_CRED_BEFORE = re.compile(rf"\b(?i:by)[ \t]+{_CREDENTIALS}[ \t]+$")
_CLAUSE_END_AFTER = re.compile(r"[ \t]*(?:[.,;)]|$)", re.M)
_ROLE_WORDS = frozenset(
    "tech rn np pa md cc aide staff sitter scribe initials recorder witness cna lpn".split()
)
# what closes "LAST, FIRST" in a header field: a column gap, the line's end, an id or an age
_LF_FIELD_END = re.compile(r"[ \t]*(?:$|\t|(?<=[ \t])[ \t]|\((?!\w+\))|(?i:mrn|dob|age|acct)\b|\d)", re.M)
# extensions of files and domains: "wound1.jpg" is a file, "x.org" a host, not "first.last"
_FILE_EXT = (
    r"(?i:jpe?g|png|gif|bmp|tiff?|heic|pdf|docx?|txt|rtf|dcm|mp4|mov|avi|wav|mp3|csv|xlsx?|zip|"
    r"edf|bdf|eeg|xml|hl7|json|nii|svs|ndpi|m4a|ogg|webm|mkv|wmv|gz|log|dat|raw|vhdr|stl|ecg|scp)"
)  # + signal, image, lab-export formats

_HOST_PARTS = frozenset("com org net edu gov mil io us uk ca html htm php aspx".split())
# letters joined by an underscore ("rain_wound1"): a found name may hide there
_EMBEDDED = re.compile(r"(?<=_)[A-Za-z]{3,}(?![A-Za-z])|(?<![A-Za-z])[A-Za-z]{3,}(?=_)")
# care units that sign as "<unit> RN" ("ED RN", "ICU RN"); other 2-3 capitals before RN are initials
_UNITS_RN = frozenset("ed er icu micu sicu ccu cvicu nicu picu pacu or vna snf nh ltc obs".split())


_ROLE_NOUN_BEFORE = re.compile(
    r"(?i)\b(?:advisor|adviser|coordinator|navigator|manager|liaison|supervisor|educator|reviewer|specialist|"
    r"counsel+or|director|consultant|worker|assistant|therapist|technician|physician|pharmacist|dietitian|"
    r"chaplain|officer|interpreter|sitter|aide|(?-i:MD|RN|NP|DO|PA))[ \t]+$"  # "MD L. QUARN": a credential
)
# lower-case key words a note must hold for a rare pattern to be scanned at all (speed)
_GATES = {
    "file_name": (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".heic", ".pdf", ".doc", ".txt", ".rtf",
                  ".dcm", ".mp4", ".mov", ".avi", ".wav", ".mp3", ".csv", ".xls", ".zip", ".edf", ".bdf",
                  ".eeg", ".xml", ".hl7", ".json", ".nii", ".svs", ".ndpi", ".m4a", ".ogg", ".webm", ".mkv",
                  ".wmv", ".gz",
                  ".log", ".dat", ".raw", ".vhdr", ".stl", ".ecg", ".scp"),
    "login_cued": ("logged", "signed in", "signed on", "user", "login", "log-in", "signature"),
    "cred_initials": ("(",),
    "row_cell": ("   ", "\t"),
    "at_mention": ("@",),
    "title_other": ("fr.", "rev", "sgt", "cpl", "det.", "pastor", "rabbi", "imam", "officer", "deputy",
                    "detective", "sergeant", "trooper", "hon.", "honorable", "capt.", "lt.", "judge",
                    "justice", "magistrate"),
    "dict_pair": ("dict", "transcri", "typed", "job", "d/t"),
    "caps_possessive": ("'s",),
    "slash_caps": ("mrn", "dob", "age"),
}
_SHAPE_JUDGES = {
    "role_initial": "_judge_role_initial",
    "title_other": "_judge_title_other",
    "handle": "_judge_handle",
    "login_cued": "_judge_login",
    "at_mention": "_judge_login",
    "lower_hyphen": "_judge_lower_hyphen",
    "file_name": "_judge_file",
    "dotted_lower": "_judge_dotted_lower",
    "cred_initials": "_judge_cred_initials",
    "age_after": "_judge_age_after",
    "row_cell": "_judge_row_cell",
    "given_initial": "_judge_given_initial",
    "caps_title": "_judge_caps_title",
    "dict_pair": "_judge_dict_pair",
    "caps_possessive": "_judge_caps_possessive",
    "slash_caps": "_judge_slash_caps",
}
# a dictation or transcription cue on the line of an initials pair ("Dict:", "D/T", "job 7731", "T: 5.29")
_WORD_BEFORE_PAIR = re.compile(r"(?<![\w'-])([A-Z][a-z][A-Za-z'-]*|[A-Z]{3,})[ \t]+\Z")  # no "IV"
_DICT_CUE = re.compile(r"(?i)\b(?:dict(?:ated|ation)?|transcri\w*|typed|d/t|job)\b|\bT:[ \t]*\d")
_ROLE_BRACKET_AFTER = re.compile(r"[ \t]*\(([A-Za-z]{2,12})\)")
# roles written in brackets after a person: "(SW)", "(RN)", "(chaplain)"; not "(PO)", "(HBV)", "(oral)"
_BRACKET_ROLES = frozenset("sw msw cm pt ot slp rd rt pcp rn md np pa cna lpn chaplain interpreter".split())
# another cell of a table row that is PHI: an id number, an age, a date ("date may 12   roe jane   18-72268")
_ROW_PHI = re.compile(
    r"\d{2,}[- /]?\d{4,}|\d{3}[ -]\d{3}[ -]\d{3}|\((?i:age|aged)\b|\b(?i:age|aged|dob|mrn)\b|"
    r"\d{1,2}/\d{1,2}/\d{2,4}|"
    r"\b(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ \t]+\d{1,2}\b"
)
_ROW_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_CRED_END = re.compile(rf"(?<![\w]){_CREDENTIALS}\.?[ \t]*$")
_BRACKET_INI_AFTER = re.compile(rf"(?:[ \t]*,?[ \t]*{_CREDENTIALS}\.?)*[ \t]*\(([A-Z]{{2,4}})\)")
# dotted initials after a found name, in brackets or after a slash: "STAFF JO ROE (J.R.)", "Jo Roe, MD / J.R."
_DOTTED_INI_AFTER = re.compile(
    rf"(?:[ \t]*,?[ \t]*{_CREDENTIALS}\.?)*[ \t]*(?:\(|/[ \t]*)((?:[A-Z]\.){{2,3}})(?=[ \t]*(?:[),;]|$))",
    re.M,
)
# words written in brackets after a person that are no given name: languages, roles, states of a record
_NOT_GIVEN = frozenset(
    "spanish english french portuguese mandarin cantonese chinese vietnamese arabic russian korean haitian "
    "creole somali tagalog german italian polish hindi urdu farsi persian japanese nepali swahili amharic "
    "asl self patient proxy guardian deceased expired retired primary backup covering cosigner".split()
)
# a single word in brackets after a found name: the given name ("OKAFOR (CHIDI)", "Roe (Jane)")
_BRACKET_WORD_AFTER = re.compile(r"[ \t]*\(([A-Z][a-z]{2,}|[A-Z]{3,})\)")
# a person's role or a signing word heading "<role> Jo Roe, MD": no part of the name
_ROLE_HEAD = re.compile(
    r"(?:.*(?:ologist|ician|iatrist|ist)|physician|surgeon|examiner|attending|resident|provider|doctor|nurse|"
    r"signature|signed|dictated|reviewed|read|referring|ordering|by|investigator|sponsor|applicant|reporter|"
    r"owner|chief|supervisor|coordinator|manager|director)$"
)
# cues that only ever introduce a person: "scribe RT" is initials, though "RT" is also a service
_SCRIBE_CUE = re.compile(r"(?i)(?:scribe|recorder|witness|phlebotomist|phleb)\b")
# a table header cell naming a person's role: the column holds initials or names
_ROLE_HEADER = re.compile(
    r"(?i)(?:(?:given|signed|checked|verified|witnessed|done|observed|administered|collected|entered|"
    r"compounded|dispensed|performed|recorded)[ \t]+by|nurse|rn|lpn|cna|tech|technician|staff|initials?|"
    r"sig|signature|provider|clinician|observer|witness|checker|verifier|pharmacist|therapist|aide|"
    r"phlebotomist|phleb|scribe|recorder|caregiver|patient|pt|client|resident|donor|subject|name)"
)
_CELL_INITIALS = re.compile(r"[A-Z]{2,3}|[a-z]{2,3}|(?:[A-Z]\.){2,3}|(?:[a-z]\.){2,3}")
_CELL_NOT_INITIALS = frozenset("na ok no yes nil none pt rx tbd".split())
# a lower-case word before a capitalised name in brackets: "chidi (Chidi Okafor)"
_PAREN_NAME = re.compile(r"\((?P<full>[A-Z][a-z'-]+(?:[ \t]+[A-Z][A-Za-z'-]+){1,2})\)")
_LOWER_BEFORE = re.compile(r"(?<![\w'@./-])([a-z][a-z'-]{1,})[ \t]*\Z")
# an initial glued to a surname with a full stop: "C.Okafor"
_GLUED_INITIAL = re.compile(r"[A-Z]\.")
# one more word, then the initials: "NURSE ROE WALNUT (RW)" where only "ROE" was found
_WORD_BRACKET_INI_AFTER = re.compile(r"[ \t]([A-Z][a-z]+|[A-Z]{2,})[ \t]+\(([A-Z]{2,3})\)")


class NameRecognizer(MedflPatternRecognizer):
    ENTITY = "NAME"
    PATTERNS = [
        (
            "title",
            rf"\b(?i:{_TITLES})\b(?:(?P<dot>\.)[ \t]*\n?[ \t]*|[ \t]+)"
            rf"(?P<phi>(?:[A-Z](?:\.[ \t]*|[ \t]+(?=[A-Z])))?{_SEQ})",
            0.95,
        ),
        # clergy titles and police ranks: "Fr. Quill", "Officer Real" (a capitalised word after: the surname)
        (
            "title_other",
            rf"(?<![\w.]){_TITLES_OTHER}[ \t]*(?P<phi>(?:[A-Z](?:\.[ \t]*|[ \t]+(?=[A-Z])))?{_SEQ})",
            0.9,
        ),
        # an initial and a surname after a person's role noun: "physician advisor S Quick", "navigator K Lake"
        # (the role noun is checked in the judge: a scan for the rare initial shape is cheaper)
        (
            "role_initial",
            rf"(?<![\w.'-])(?P<phi>[A-Z]\.?[ \t]+(?:{_NAMEWORD}|{_CAPSWORD}))(?![\w'-])",
            0.85,
        ),
        # lower-cased names after a title or relation ("dr. smith", "wife mary"): listed or no ordinary word
        (
            "lower_cued",
            rf"\b(?i:{_TITLES}\.?|{_RELATIONS})[ \t]+(?P<phi>[a-z][a-z'-]{{2,}}(?:[ \t]+[a-z][a-z'-]{{2,}})?)"
            rf"(?![\w'-])",
            0.85,
        ),
        # "(?![ \t]+\d{5})": "Boulevard, Haverhill, PA 01830" is a place with a state, not a PA's name
        (
            "credential",
            rf"(?P<phi>(?:{_INI}[ \t]*)?{_SEQ})[ \t]*,[ \t]*{_CREDENTIALS}(?![\w])(?![ \t]+\d{{5}})",
            0.9,
        ),
        (
            "credential_lf",
            rf"(?<![\w])(?P<phi>{_LASTFIRST})[ \t]*,[ \t]*{_CREDENTIALS}(?![\w])(?![ \t]+\d{{5}})",
            0.9,
        ),
        (
            "label",
            rf"\b(?i:{_STRONG_LABELS})(?:[ \t]+(?i:{_STRONG_LABELS}))*\b[ \t]*(?P<colon>[:\-]?)[ \t]*"
            rf"(?P<phi>{_LASTFIRST}|(?:{_INI}[ \t]*)?{_SEQ})",
            0.9,
        ),
        # a name at the head of a line followed by age/sex or an MRN: "ROE, JANE (1234567)", "Jane Roe, 59 F"
        (
            "header",
            rf"(?m)^[ \t]*(?:(?P<pre>(?i:pt|patient|name|re|regarding))[ \t]*:?[ \t]*)?"
            # a whole word ("Mess" of "Message" is none); "Child, R.": a surname and an initial
            rf"(?P<phi>{_LASTFIRST}|{_WORD}[ \t]*,[ \t]*[A-Z]\.|{_SEQ})(?![A-Za-z'-])"
            rf"(?=[ \t]*(?:\((?:(?i:mrn|#)|[A-Z]{{0,3}}\d)|"
            rf",?[ \t]*\d{{1,3}}[ \t]*(?i:y/?o\b|yo\b|y\b|f\b|m\b|years?\b|-year)|"
            rf"[ \t]*\n?[ \t]+(?:\|[ \t]*)?(?:(?i:mrn?|#)[ \t]*:?[ \t]*)?(?!{_DATE_LIKE})\d[\d-]{{5,}}\b|"
            rf"[ \t]*\n?[ \t]*[-,(|]?[ \t]*(?i:aged?|mrn|dob|d\.o\.b\.?|born)\b))",
            0.85,
        ),
        ("sex_cue", rf"\b(?i:male|female|man|woman|gentleman|lady|boy|girl)\b[ \t]+(?P<phi>{_SEQ})", 0.85),
        (
            "relation",
            rf"\b(?i:(?:his|her|their|pt'?s|patient'?s)\s+)?(?i:{_RELATIONS})\b[ \t]*,?[ \t]*"
            rf"(?:\((?P<phi2>{_SEQ})[ \t]*[),;]|"
            rf"(?i:named[ \t]+|is[ \t]+)?(?P<phi>{_LASTFIRST}|(?:{_INI}[ \t]*)?{_SEQ}))",
            0.9,
        ),
        ("last_first", rf"(?<![\w])(?=(?P<phi>{_LASTFIRST}))", 0.9),
        # listed first name + listed surname; a single line break may split them ("Mary\nSmith")
        (
            "first_last",
            rf"(?<![\w'])(?=(?P<phi>{_WORD}(?:[ \t]+{_INI})?[ \t]*\n?[ \t]*(?<=\s){_WORD}))",
            0.85,
        ),
        (
            "initials_credential",
            rf"(?<![\w.])(?P<phi>[A-Z]\.[ \t]?[A-Z]\.(?:[ \t]?[A-Z]\.)?)[ \t]*,[ \t]*{_CREDENTIALS}"
            r"(?![\w])",
            0.9,
        ),
        # one part listed, the other no ordinary word: "Gertraude Wilson", "Julian Azevedo"
        (
            "half_listed",
            rf"(?<![\w'-])(?=(?P<phi>{_NAMEWORD}(?:[ \t]+{_INI})?[ \t]+{_NAMEWORD})(?![\w'-]))",
            0.8,
        ),
        # two lower-case words, a listed first name then a listed surname, neither an ordinary word
        ("lower_pair", r"(?<![\w'-])(?=(?P<phi>[a-z][a-z'-]+[ \t]+[a-z][a-z'-]+)(?![\w'-]))", 0.75),
        ("initial_last", rf"(?<![\w.])(?P<phi>[A-Z]\.[ \t]?(?:[A-Z]\.[ \t]?)?{_NAMEWORD})(?![\w])", 0.8),
        ("single", rf"(?<![\w'-])(?P<phi>{_NAMEWORD})(?![\w'-])", 0.6),
        ("single_caps", rf"(?<![\w'-])(?P<phi>{_CAPSWORD})(?![\w'-])", 0.4),
        ("dictation", r"(?<![\w/])(?P<phi>[A-Z]{2,3}/[a-z]{2,3})(?![\w/])", 0.75),
        # an ALL-CAPS possessive that no list knows: "KEMA'S CANE TOO SHORT" (a person owns the cane)
        ("caps_possessive", r"(?<![\w'-])(?P<phi>[A-Z]{3,})(?='S\b)", 0.8),
        # "SURNAME/GIVEN" before a patient field: "LAMA/KINDNESS   MRN 17-47-19-7"
        (
            "slash_caps",
            r"(?<![\w/])(?P<phi>[A-Z][A-Z'-]+/[A-Z][A-Z'-]+)(?=[ \t]+(?:MRN|DOB|AGE|Mrn|Dob|Age)\b)",
            0.85,
        ),
        # dictator's and typist's initials after a name on a dictation line: "Dict: Hariharan SV/SB   job 77"
        ("dict_pair", r"(?<![\w/])(?P<phi>[A-Z]{2,3}/[A-Z]{2,3})(?![\w/])", 0.8),
        (
            "initials_labelled",
            r"(?i:\binitials?\b)[ \t]*[:\-]?[ \t]*(?P<phi>[A-Z]\.?[ \t]?[A-Z]\.?(?:[ \t]?[A-Z]\.?)?)"
            r"(?![\w])",
            0.9,
        ),
        (
            "signature",
            r"(?m)^[ \t]*(?:--+|/s/|s/)[ \t]*(?P<phi>[A-Z][A-Za-z.'-]*(?:[ \t]+[A-Z][A-Za-z.'-]*){0,3})"
            r"[ \t]*$",
            0.85,
        ),
        ("dotted_initials", r"(?<![\w.])(?P<phi>[A-Z]\.[A-Z]\.(?:[A-Z]\.)?)(?![\w])", 0.55),
        # initials after a person cue: "Requested by KEO", "staff nurse MMA", "officer VAG"
        (
            "initials_cued",
            rf"\b(?i:{_TITLE_CUES_INI})\b[ \t]*:?[ \t]*\n?[ \t]*(?P<phi>{_INITIALS})(?![\w])",
            0.85,
        ),
        # initials closing a line or field after a role label or "BY": "Tech: fa", "GIVEN TO X RN BY NK"
        (
            "initials_eol",
            r"(?:\b(?i:tech|technician|scribe|initials|sitter)[ \t]*:[ \t]*(?P<low>[a-z]{2,3})|"
            r"\b(?:by|BY)[ \t]+(?P<up>[A-Z]{2,3}))(?=[ \t]*(?:\n|$)|[ \t]{2})",
            0.85,
        ),
        # initials before a credential at a line's start or end: "AB RN", "-- JK, MD"
        (
            "initials_cred",
            rf"(?m)^[ \t]*(?:--+|/s/)?[ \t]*(?P<phi>{_INITIALS})[ \t]*,?[ \t]+"
            rf"{_CREDENTIALS}[ \t]*$",
            0.85,
        ),
        # typist's initials alone on the note's last line: "jks"
        ("sig_lower", r"(?m)^[ \t]*(?P<phi>[a-z]{2,3})[ \t]*\Z", 0.8),
        # typist's initials after a slash at the end of a line: "MD/jk", "... /jks"
        ("slash_initials", r"(?m)(?<![\w/.])/(?P<phi>[a-z]{2,3}|[A-Z]{2,3})[ \t]*$", 0.8),
        # a name and a credential without the comma, ending a line: "Lot Hosey MD", "SUZE LEONE RN"
        # (matches the line before the credential; `_judge` keeps the name at its end: faster than _SEQ here)
        (
            "credential_bare",
            rf"(?m)^(?P<phi>[^\n]*?[A-Za-z.])[ \t]+{_CREDENTIALS}(?:[ \t]*,?[ \t]+{_CREDENTIALS})*\.?"
            rf"(?:[ \t]+(?:x|#)?\d{{3,7}})?[ \t]*$",
            0.85,
        ),
        # FIRST I LAST with a middle initial: the shape is a name when neither word is an ordinary word
        (
            "first_ini_last",
            rf"(?<![\w'-])(?=(?P<phi>{_NAMEWORD}[ \t]+[A-Z]\.?[ \t]+{_NAMEWORD})(?![\w'-]))",
            0.8,
        ),
        # initials after a role label and a colon ("Sonographer: KG", "Scribe: JT") or after a credential
        # ending a line ("REPORT GIVEN TO ONCOMING RN. KL")
        (
            "initials_role",
            r"(?<=[:.,])[ \t]*(?P<phi>[A-Z]{2,3})(?=[ \t]*(?:\t|\n|$|[,;)]))",
            0.85,
        ),
        # a lower-case login "first.last" / "first_last": a part listed or no known word (judged)
        (
            "handle",
            r"(?<![\w.@/-])(?P<phi>[a-z][a-z'-]+[._][a-z][a-z'-]+)\d{0,4}(?![\w@/-]|\.\w)",
            0.85,
        ),
        # after a login cue any token is a user name: "logged in as ihayashi", "User ID: KMORI2"
        (
            "login_cued",
            r"(?i:\blogged[ \t]+(?:in|on)[ \t]+as|\bsigned[ \t]+(?:in|on)[ \t]+as|"
            r"\buser[ \t]*(?:name|id)?[ \t]*[:=#]|\blog-?in(?:[ \t]*id)?[ \t]*[:=#]|\busername\b|\buserid\b|"
            r"\be-?signature[ \t]*[:=#])"
            r"[ \t]*(?P<phi>[A-Za-z][\w.'-]*[A-Za-z0-9])",
            0.85,
        ),
        # a lower-case double given name: "anne-catherine", "jean-luc" (both parts listed given names)
        ("lower_hyphen", r"(?<![\w'-])(?P<phi>[a-z]{2,}-[a-z]{2,})(?![\w'-])", 0.8),
        # a handle in a message: "@kmori", "@illya.hayashi" (no e-mail: nothing word-like before the "@")
        ("at_mention", r"(?<![\w.@])@(?P<phi>[A-Za-z][\w.-]*[A-Za-z0-9])", 0.85),
        # a file name: its parts that are listed names or no known word ("zheng_wound1.jpg")
        (
            "file_name",
            rf"(?<![\w.@/-])(?P<phi>[A-Za-z0-9][\w-]*(?:\.[\w-]+)*)\.{_FILE_EXT}(?![\w])",
            0.85,
        ),
        # lower-case dotted initials where initials sign ("Tech: l.e.", "(k.m.)", "/s/ j.d." ending a line);
        # clinical ones ("p.o.", "b.i.d.", "l.e." for lower extremity) are kept unless after a person's role
        ("dotted_lower", r"(?<![\w.])(?P<phi>[a-z]\.[a-z](?:\.[a-z])?\.?)(?![\w])", 0.85),
        # initials in brackets right after a credential: "Jo Roe, MD (JMR)", "JO ROE RN (JR) / NEONATOLOGY"
        # (scanned from the bracket, the credential before it checked in the judge: faster)
        ("cred_initials", r"\((?P<phi>[A-Z]{2,4})\)", 0.85),
        # the words before ", 75/F", ", 41 y/o" (any case): "calling about roe jane, 75/F" (judged backwards
        # from the age: a scan for the rare age shape is cheaper than one for every word pair)
        (
            "age_after",
            r"(?P<phi>,)[ \t]*\d{1,3}[ \t]*(?:/[ \t]*[MFmf]|(?i:y/?o|yo|y|yrs?|years?|-years?-old|m|f))\b",
            0.85,
        ),
        # a cell of a table row (between column gaps) whose row holds an id, an age or a date: name words
        # there are PHI in any case ("date may 12    roe jane    18-7226861    (age 93)")
        (
            "row_cell",
            r"(?:(?<=   )|(?<=\t))(?P<phi>[A-Za-z][A-Za-z'-]+(?:[ ][A-Za-z][A-Za-z'-]+){0,2})"
            r"(?=[ \t]*(?:\t|   |$))",
            0.8,
        ),
        # a given name and a surname initial before a bracketed role ("Echo P. (SW)") or after a role noun
        # ("educator Ilia P."): the word is a given name whatever lists say about it (judged)
        ("given_initial", rf"(?<![\w'-])(?P<phi>{_NAMEWORD}[ \t]+[A-Z]\.)(?![\w.])", 0.85),
        # "ROE Tolmine": a surname in capitals before a capitalised given name, neither word known (judged)
        ("caps_title", r"(?<![\w'-])(?P<phi>[A-Z]{4,}(?:-[A-Z]{2,})?[ \t]+[A-Z][a-z]{2,})(?![\w'-])", 0.8),
        # two typists' or pathologists' initials in brackets: "(AB/CD)"
        ("initials_pair", r"\((?P<phi>[A-Z]{2,3}/[A-Z]{2,3})\)", 0.8),
    ]
    CONTEXT = [
        "mr",
        "mrs",
        "ms",
        "dr",
        "pt",
        "patient",
        "wife",
        "husband",
        "daughter",
        "son",
        "mother",
        "father",
        "sister",
        "brother",
        "spoke",
        "with",
        "called",
        "per",
        "by",
        "family",
        "name",
        "signed",
        "visited",
        "bedside",
        "friend",
        "contact",
        "niece",
        "nephew",
        "attending",
        "nurse",
        "rn",
        "md",
    ]

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_language=supported_language, name=name)
        self.first = load_lexicon("first_names.txt")
        self.last = load_lexicon("last_names.txt")
        self.names = self.first | self.last
        self.intl = load_lexicon("first_names_intl.txt") | load_lexicon("last_names_intl.txt")
        self.common = load_lexicon("common_words.txt")
        self.allow = load_lexicon("medical_allow.txt") | load_lexicon("clinical_vocab.txt")
        self.vocab = load_lexicon("english_vocab.txt") | load_lexicon("clinical_vocab.txt")
        self.streets = load_lexicon("street_suffixes.txt")
        self.months = set(MONTH_NAMES) | MONTH_ABBREVS | WEEKDAYS
        self.pair_stop = self.allow | self.months | self.common | self.streets

    # ---- token acceptance ---------------------------------------------------------------------
    def _ok(self, tok: str, level: str) -> bool:
        """level: 'strong'/'strong_caps' (title, label), 'relation', 'title_ok', 'lex' (must be listed)."""
        low = tok.lower()
        if low in _TITLE_WORDS:
            return False
        if len(tok) == 1:
            return level != "lex"  # a middle/first initial inside a cued name
        if low in self.allow or low in self.months:
            return False
        is_caps = tok.isupper()
        in_lex = low in self.names
        if level == "lex":
            return in_lex and low not in self.common
        if is_caps:
            if len(tok) <= 3 and not in_lex and level != "strong_caps":
                return False  # short capitals are abbreviations far more often than names ("HCP", "BPH")
            if in_lex or level == "strong_caps" and low not in self.common:
                return True
            if level == "relation" and low not in self.common:
                return low not in self.vocab  # "SON ARIKI CRESSWELL NOTIFIED": a verb ends the name
            # ALL-CAPS notes: after a person cue, a token that is no ordinary word is taken for a name
            return level == "title_ok" and low not in self.vocab and low not in self.common
        return low not in self.common or in_lex or level in ("strong", "strong_caps", "relation")

    def _trim(
        self,
        text: str,
        start: int,
        end: int,
        level: str,
        anchor_first: bool = False,
        title: bool = False,
        ordinary_stop: bool = False,
    ):
        """Keep the longest run of acceptable tokens starting at the first acceptable one."""
        toks = [(m.start() + start, m.end() + start, m.group()) for m in _TOKEN.finditer(text[start:end])]
        keep = []
        for i, (s, e, t) in enumerate(toks):
            if keep and "\t" in text[keep[-1][1] : s]:
                break  # "Sonographer: KG<TAB>Referring:": a tab separates columns
            ordinary = t.lower() in self.vocab and t.lower() not in self.names
            after_initial = bool(keep) and keep[-1][1] - keep[-1][0] == 1
            if ordinary_stop and not t.isupper() and ordinary and not after_initial:
                if keep:
                    break
                return None  # "Patient Message": after a cue with no colon an ordinary word is no name
            if (
                title
                and (i == 0 or i == 1 and toks[0][1] - toks[0][0] == 1)  # "Dr. L Paine": after the initial
                and len(t) > 1
                and not (t.isupper() and t.lower() in self.allow)
                and t.lower() not in _TITLE_WORDS
            ):
                keep.append((s, e))  # "Dr. Foley": right after a title even an eponym is a name
                continue
            if keep and len(t) > 1 and t.lower() in self.last and not t.islower():
                keep.append((s, e))  # a surname that is also an eponym ("Wilson") after a given name
                continue
            if (
                (len(keep) >= 2 or len(keep) == 1 and anchor_first and level != "lex")
                and keep[-1][1] - keep[-1][0] == 1
                and text[keep[-1][1] : keep[-1][1] + 1] == "."
                and t[0].isupper()
                and len(t) > 1
                and t.lower() not in _TITLE_WORDS
                and t.lower() not in self.months
            ):
                keep.append((s, e))  # "Basay A. Were": after a middle initial comes the surname, any word
                continue
            ok = self._ok(t, level) and not (
                t.lower() in self.common
                and len(t) > 1
                and t.lower() not in self.names
                and level != "relation"
                and not (anchor_first and i == 0)
            )
            if ok:
                keep.append((s, e))
            elif keep:
                break
            elif anchor_first:
                return None
        if not keep or all(e - s == 1 for s, e in keep):
            return None
        s, e = keep[0][0], keep[-1][1]
        if e < end and text[e : e + 1] == "." and e - s >= 1 and text[e - 2 : e - 1] in (" ", "\t", "."):
            e += 1  # keep the period of a trailing initial ("John A.")
        return s, e

    # ---- analysis -----------------------------------------------------------------------------
    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        found: list[RecognizerResult] = []
        low = text.lower()
        for pname, rx, score in self._compiled:
            if pname in _GATES and not any(g in low for g in _GATES[pname]):
                continue
            for m in rx.finditer(text):
                group = "phi2" if "phi2" in rx.groupindex and m.group("phi2") else "phi"
                if pname == "initials_eol":
                    group = "low" if m.group("low") else "up"
                s, e = m.span(group)
                if s < 0 or s == e:
                    continue
                span = self._judge(pname, text, m, s, e)
                if span is not None:  # a field gap ends a name: "RN: Skelda W.   Tech: qv"
                    gap = _FIELD_GAP.search(text, span[0], span[1])
                    span = (span[0], gap.start()) if gap and gap.start() > span[0] else span
                if span is not None and pname != "initials_eol":
                    tail = LF_INITIAL.match(text, span[1])  # "Gaasch, C.": the given-name initial goes too
                    span = (span[0], tail.end()) if tail else span
                if span is not None:
                    found.append(self._result(span[0], span[1], score, pname))
        if "|" in text or "\t" in text:
            found += self._role_column_cells(text)
        if "(" in text:
            found += self._lower_paren(text)
        return found + self._propagate(text, found)

    def _role_column_cells(self, text: str) -> list[RecognizerResult]:
        """A table ("|" or tab columns) whose header names a person's role ("NURSE", "Tech", "Initials",
        "Given by"): the cells of that column in the rows below are the person's initials or name."""
        out = []
        pos, cols, width = 0, None, 0
        for line in text.split("\n"):
            sep = "|" if "|" in line else "\t" if "\t" in line else None
            cells = line.split(sep) if sep else []
            if len(cells) < 3:
                cols = None
            elif cols is not None and len(cells) == width:
                off = pos
                for i, cell in enumerate(cells):
                    if i in cols:
                        self._role_cell(cell, off, out)
                    off += len(cell) + 1
            elif not any(c.isdigit() for c in line):  # a header row: words only
                heads = [_ROLE_HEADER.fullmatch(c.strip()) for c in cells]
                cols = {i for i, h in enumerate(heads) if h} or None
                width = len(cells)
            pos += len(line) + 1
        return out

    def _role_cell(self, cell: str, off: int, out: list) -> None:
        value = cell.strip()
        if not value:
            return
        low = value.lower().replace(".", "")
        if _CELL_INITIALS.fullmatch(value):
            if low in _CELL_NOT_INITIALS or low in self.months:
                return  # "N/A", "OK", "MAY": no person
        elif not all(self._namey(w.lower().strip("'-"), 3) for w in _TOKEN.findall(value)):
            return  # "GIVEN", "REFUSED": a note, not a name
        start = off + cell.index(value)
        out.append(self._result(start, start + len(value), 0.85, "role_column"))

    def _lower_paren(self, text: str) -> list[RecognizerResult]:
        """"chidi (Chidi Okafor)": a lower-case word repeated as the first or last word of a capitalised
        name in brackets right after it is a name written twice (a display name, a portal alias)."""
        out = []
        for m in _PAREN_NAME.finditer(text):  # scanned from the bracket, the word before read back (speed)
            low = _LOWER_BEFORE.search(text, max(0, m.start() - 40), m.start())
            words = m.group("full").split()
            if low is None or low.group(1) not in (words[0].lower(), words[-1].lower()):
                continue
            if any(w.lower() in self.allow or w.lower() in self.months for w in words):
                continue
            out.append(self._result(low.start(1), low.end(1), 0.85, "lower_paren"))
            out.append(self._result(m.start("full"), m.end("full"), 0.85, "lower_paren"))
        return out

    def _judge(self, pname: str, text: str, m: re.Match, s: int, e: int):
        value = text[s:e]
        if pname in _SHAPE_JUDGES:
            return getattr(self, _SHAPE_JUDGES[pname])(text, m, s, e)
        if pname == "title":
            level = "strong_caps" if m.group("dot") else "strong"
            if text[m.start() : m.start() + 2] in ("MS", "Ms") and not m.group("dot"):
                level = "lex"  # "MS" is also multiple sclerosis
            return self._trim(text, s, e, level, anchor_first=True, title=level != "lex")
        if pname == "credential":
            span = self._trim_right(text, s, e)
            return span
        if pname == "label":
            if "," in value:  # "PT: CROTEAU,AGE": after a label and a colon the shape vouches for the words
                ok = self._last_first_ok(value, loose=True) or bool(m.group("colon")) and self._last_first_ok(
                    value, shape=True
                )
                ok = ok or self._lf_field(text, value, e)
                return (s, e) if ok else None
            if self._by_credential_word(text, m, s, e):
                return s, e
            level = "strong_caps" if m.group("colon") else "title_ok"
            colon = bool(m.group("colon"))
            return self._trim(text, s, e, level, anchor_first=True, title=colon, ordinary_stop=not colon)
        if pname == "lower_cued":
            keep = []
            for mm in _TOKEN.finditer(value):
                low = mm.group()
                named = low in self.names and low not in self.common
                unknown = low not in self.vocab and low not in self.common and low not in self.allow
                if not (named or unknown) or low in self.months:
                    break
                keep.append((s + mm.start(), s + mm.end()))
            return (keep[0][0], keep[-1][1]) if keep else None
        if pname == "credential_lf":
            return (s, e) if self._last_first_ok(value, loose=True, shape=True) else None
        if pname in ("relation", "sex_cue"):
            if "," in value:
                return (s, e) if self._last_first_ok(value, loose=True, shape=True) else None
            span = self._trim(text, s, e, "relation", anchor_first=True)
            toks = list(_TOKEN.finditer(text, s, e))
            if span is None and len(toks) >= 2:
                # "SON ROYAL LANGDELL": an ordinary word is the given name when a surname follows it
                first, second = toks[0].group().lower(), toks[1].group().lower()
                unknown_second = second not in self.vocab and second not in self.common
                if (
                    len(first) > 1
                    and (first not in self.allow or unknown_second)  # "WIFE RUE QUARNE": RUE is no limb here
                    and first not in self.months
                    and (second in self.names and second not in self.common or second not in self.vocab)
                    and second not in self.allow
                    and toks[0].group()[0].isupper()
                    and toks[1].group()[0].isupper()
                ):
                    rest = self._trim(text, toks[1].start(), e, "relation", anchor_first=True)
                    return s, rest[1] if rest else toks[1].end()
            return span
        if pname == "header":
            if "," in value and self._last_first_ok(value, loose=True, shape=True):
                return s, e
            if value.endswith("."):  # "Child, R.  (E123456)": a surname and an initial before an id
                last = value.split(",")[0].strip().lower()
                bad = last in self.allow or last in self.months or last in _TITLE_WORDS or last in _CRED_WORDS
                return None if bad else (s, e)
            toks = [t.lower() for t in _TOKEN.findall(value)]
            short = len(toks) == 1 and len(toks[0]) <= 3
            if short or all(t in self.vocab and t not in self.names for t in toks):
                return None  # "Dictated 2017-10-22", "CHEST PAIN 45 y/o", "PH 312-887-1841": no name
            level = "strong" if m.group("pre") and not value.isupper() else "title_ok"
            first = toks[0]
            if value.isupper() and (
                m.group("pre") or first in self.names or first in self.intl or first not in self.vocab
            ):  # "PATIENT PRIMROSE QUARNE  MRN ...": label and id vouch for an ordinary-word given name
                level = "strong_caps"  # "BEYDA NEE  75-96-714": the line's shape vouches for the second word
            return self._trim(text, s, e, level, anchor_first=True)
        if pname == "last_first":
            return (s, e) if self._last_first_ok(value) else None
        if pname == "first_last":
            toks = _TOKEN.findall(value)
            first, last = toks[0], toks[-1]
            if first.isupper() != last.isupper():
                return None
            fl, ll = first.lower(), last.lower()
            if fl not in self.first or ll not in self.last or fl in self.allow or ll in self.allow:
                return None
            if fl in self.common and ll in self.common:
                return None
            return s, e
        if pname == "lower_pair":
            first, last = value.split()
            ok = first in self.first and last in self.last
            if not ok or any(t in self.vocab or t in self.common or t in self.allow for t in (first, last)):
                return None
            return s, e
        if pname == "half_listed":
            toks = _TOKEN.findall(value)
            first, last = toks[0].lower(), toks[-1].lower()
            if first in self.pair_stop or last in self.pair_stop:
                return None
            listed_first = first in self.first and last not in self.vocab
            if listed_first or last in self.last and first not in self.vocab:
                return s, e
            return None
        if pname == "initial_last":
            last = _TOKEN.findall(value)[-1].lower()
            dots = re.sub(r"[ \t]", "", value[: value.rfind(".") + 1]).lower()
            clinical = last in self.allow or last in self.months or dots in _DOTTED_TERMS  # "M.D. Pager"
            if dots.count(".") >= 2 and not clinical:
                return s, e  # "K. K. Nail": two dotted initials vouch for an ordinary word as the surname
            return (
                (s, e) if last in self.names and last not in self.allow and last not in self.common else None
            )
        if pname in ("single", "single_caps"):
            low = value.lower()
            if pname == "single_caps" and (len(value) < 3 or len(value) <= 4 and not _caps_line(text, s)):
                return None  # "NASH", "GERD" in mixed-case text: an abbreviation, not a shouted surname
            if (_EPONYM_NEXT.match(text, e) or _TERM_HEAD_NEXT.match(text, e)) and not _PERSON_BEFORE.search(
                text, max(0, s - 25), s
            ):
                return None  # "Graves disease", "Parkinson's"
            if low not in self.names or low in self.common or low in self.allow or low in self.months:
                return None
            return s, e
        if pname == "initials_eol":  # lower case after a role label: "mg" there is initials, not a unit
            low = value.lower()
            known = low in self.common or low in self.allow or len(low) > 2 and low in self.vocab
            if m.group("up") and (low in _SERVICES or known):
                return None  # "seen by GI", "BY ME", "BY CAR" ("Tech: st" in lower case is initials)
            return s, e
        if pname in ("initials_cued", "initials_cred", "slash_initials", "sig_lower"):
            if pname == "initials_cued" and m.group("verb") and not _by_verb(m.group("verb").lower()):
                return None
            low = value.lower().replace(".", "").replace(" ", "")
            scribe = pname == "initials_cued" and _SCRIBE_CUE.match(text, m.start())  # a person's role only
            units = _UNITS_RN if pname == "initials_cred" else _SERVICES
            if low in self.months or not scribe and low in units:
                return None
            if pname == "sig_lower" and len(low) < 3 and any(c in "aeiou" for c in low):
                return None  # "ok", "no": a short word, not "jk"
            if (value.isupper() and _caps_line(text, s) or pname in ("slash_initials", "sig_lower")) and (
                low in self.vocab or low in self.common or low in self.allow
            ):
                return None  # "SEEN BY PT AND", "/min": words and units, not initials
            return s, e
        if pname == "credential_bare":
            tail = _SEQ_AT_END.search(value)
            return self._trim_right(text, s + tail.start(), e, strict=True) if tail else None
        if pname == "first_ini_last":
            toks = [t.lower() for t in _TOKEN.findall(value)]
            words = (toks[0], toks[-1])
            if any(w in self.allow or w in self.months or w in self.common and w not in self.names
                   for w in words):
                return None
            if all(w in self.names or w not in self.vocab for w in words):
                return s, e
            return None
        if pname in ("initials_role", "initials_pair"):
            role = cred = None
            if pname == "initials_role":  # what precedes the colon/period: a role noun or a credential
                before = text[max(0, m.start() - 40) : m.start()]
                role, cred = _ROLE_BEFORE.search(before), _CRED_BEFORE.search(before)
                if not (role or cred):
                    return None
            parts = value.lower().split("/")
            if any(p in _CRED_WORDS for p in parts):
                return None  # "Jun Guzenko, RN, CCM": a second credential, not initials
            if all(p in _SERVICES for p in parts) or any(p in self.months for p in parts):
                return None
            # a person's role ("Sonographer:", "Pathologist:") or a credential ending a line ("RN. VT"), or a
            # bracketed pair ("(DB/NH)"): the position vouches for capitals that also spell an abbreviation
            person = pname == "initials_pair" or cred or role and _PERSON_ROLE.search(role.group(1))
            if person and not all(p in _SERVICES for p in parts) and not any(p in self.common for p in parts):
                return s, e
            known = [p in _SERVICES or p in self.vocab or p in self.allow or p in self.common for p in parts]
            return None if all(known) else (s, e)
        if pname == "dotted_initials":
            return None if value.lower() in self.allow else (s, e)
        if pname == "signature":
            return (
                self._trim(text, s, e, "strong_caps", anchor_first=True)
                if not value.isupper()
                or len(value.replace(".", "").replace(" ", "")) <= 3
                or any(t.lower() in self.names for t in _TOKEN.findall(value))
                else None
            )
        return s, e

    # ---- shape judges (logins, file names, dotted initials, clergy/police titles) ----------------------
    def _namey(self, low: str, min_len: int = 3) -> bool:
        """A listed name (not an ordinary or clinical word), or a word of min_len+ letters no list knows."""
        if low in self.allow or low in self.months or low in self.common:
            return False
        return low in self.names or low in self.intl or len(low) >= min_len and low not in self.vocab

    def _judge_title_other(self, text: str, m: re.Match, s: int, e: int):
        value = text[s:e]
        cue = text[m.start() : m.start("phi")].rstrip()
        dotted = cue.endswith(".") or cue.lower() in ("sgt", "cpl")  # a rank abbreviation: "SGT MUSTARD"
        if not value.isupper() or dotted:  # "Officer Real", "FR. FRIEND": the title vouches for the word
            return self._trim(text, s, e, "strong_caps" if value.isupper() else "strong", True, title=True)
        return self._trim(text, s, e, "title_ok", anchor_first=True)  # "OFFICER PRESENT": an ordinary word

    def _judge_role_initial(self, text: str, m: re.Match, s: int, e: int):
        if not _ROLE_NOUN_BEFORE.search(text, max(0, s - 16), s):
            return None
        word = _TOKEN.findall(text[s:e])[-1]
        low = word.lower()
        if low in self.allow or low in self.months or low in _TITLE_WORDS or low in _CRED_WORDS:
            return None
        if word.isupper() and not (_caps_line(text, s) and self._ok(word, "strong_caps")):
            return None  # "aide A PRN": capitals in mixed-case text are abbreviations
        return s, e

    def _judge_lower_hyphen(self, text: str, m: re.Match, s: int, e: int):
        parts = text[s:e].split("-")
        given = all(p in self.first or p in self.intl for p in parts)
        known = any(p in self.vocab or p in self.common or p in self.allow or p in self.months for p in parts)
        return (s, e) if given and not known else None

    def _judge_handle(self, text: str, m: re.Match, s: int, e: int):
        parts = re.split(r"[._]", text[s:e])
        if parts[-1] in _HOST_PARTS:
            return None
        parts = [p.strip("'-") for p in parts]
        listed = any(p in self.names or p in self.intl for p in parts if self._namey(p))
        # a listed part, or no part a known word ("client_ip" is code, "swollen.my" a missing space)
        return (s, e) if listed or all(self._namey(p) for p in parts) else None

    def _judge_login(self, text: str, m: re.Match, s: int, e: int):
        value = text[s:e]
        low = value.lower()
        if re.search(r"[._\d]", value) or self._namey(low, min_len=2):
            return s, e
        return None

    def _judge_file(self, text: str, m: re.Match, s: int, e: int):
        """The span from the first to the last name-like part: "zheng_wound1.jpg" -> "zheng"."""
        words = re.finditer(r"[A-Za-z]+", text[s:e])
        parts = [mm.span() for mm in words if self._namey(mm.group().lower(), 4)]
        return (s + parts[0][0], s + parts[-1][1]) if parts else None

    def _judge_cred_initials(self, text: str, m: re.Match, s: int, e: int):
        cred = _CRED_END.search(text, max(0, s - 14), s - 1)
        if cred is None:
            return None
        ini = text[s:e]
        if ini.lower() in _SERVICES or ini.lower() in _UNITS_RN or ini.lower() in _CRED_WORDS:
            # "RN (ICU)" is a unit; "ROE PARK RN (PA)": initials of the words before the credential
            line = text[text.rfind("\n", 0, cred.start()) + 1 : cred.start()]
            heads = [w[0].upper() for w in _ROW_WORD.findall(line)][-len(ini) :]
            return (s, e) if "".join(heads) == ini else None
        return s, e

    def _name_words_before(self, text: str, end: int, limit: int = 3) -> int | None:
        """Start of the name-like words (listed, or no known word) ending at `end` on the same line."""
        start = None
        line_start = text.rfind("\n", 0, end) + 1
        words = list(_ROW_WORD.finditer(text, max(line_start, end - 60), end))
        for w in reversed(words[-limit:]):
            gap = text[w.end() : start if start is not None else end]
            if gap.strip(" \t") or len(gap) > 2:
                break
            low = w.group().lower().strip("'-")
            if low in _TITLE_WORDS or low in _CRED_WORDS or not self._namey(low, 4):
                break
            start = w.start()
        return start

    def _judge_dict_pair(self, text: str, m: re.Match, s: int, e: int):
        line_start, line_end = text.rfind("\n", 0, s) + 1, text.find("\n", e)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if not _DICT_CUE.search(line):
            return None  # "CHF/COPD", "NS/LR": abbreviations, no dictation line
        name = _WORD_BEFORE_PAIR.search(text, max(line_start, s - 40), s)  # "Hariharan SV/SB": the dictator
        name = name if name and name.group(1).lower() not in self.allow else None
        if not name and any(p in self.allow or p in _CRED_WORDS for p in text[s:e].lower().split("/")):
            return None  # "IV NS/LR": an abbreviation, no name before
        return (name.start(1) if name else s), e

    def _judge_caps_possessive(self, text: str, m: re.Match, s: int, e: int):
        low = text[s:e].lower()  # "PATIENT'S", "ICU'S", "PARKINSON'S": ordinary, clinical or eponym words
        if _EPONYM_NEXT.match(text, e + 2) or _TERM_HEAD_NEXT.match(text, e + 2):
            return None  # "LUDWIG'S ANGINA", "MENIERE'S DISEASE": an eponym before its disease
        return (s, e) if _caps_line(text, s) and self._namey(low, 4) and low not in _CRED_WORDS else None

    def _judge_slash_caps(self, text: str, m: re.Match, s: int, e: int):
        parts = text[s:e].lower().split("/")  # "CHF/COPD   AGE": abbreviations, no name
        named = any(self._namey(p, 4) for p in parts) and not all(p in self.allow for p in parts)
        return (s, e) if named else None

    def _judge_caps_title(self, text: str, m: re.Match, s: int, e: int):
        last, first = text[s:e].split()
        if sum(c in "AEIOUY" for c in last) < 2 or not self._namey(last.lower(), 5):
            return None  # "HFREF Exacerbation", "MRSA Positive": an acronym before a word
        return (s, e) if self._namey(first.lower(), 3) and first.lower() not in self.vocab else None

    def _judge_given_initial(self, text: str, m: re.Match, s: int, e: int):
        low = _TOKEN.match(text, s).group().lower()
        if low in self.months or low in _TITLE_WORDS or low in _CRED_WORDS:
            return None
        role = _ROLE_BRACKET_AFTER.match(text, e)
        if role and (role.group(1).lower() in _BRACKET_ROLES or role.group(1).lower() in _CRED_WORDS):
            return s, e  # "also present Echo P. (SW)": a role in brackets after the person
        if low not in self.allow and _ROLE_NOUN_BEFORE.search(text, max(0, s - 16), s):
            return s, e  # "Diabetes educator Ilia P. to call"
        return None

    def _judge_age_after(self, text: str, m: re.Match, s: int, e: int):
        """"calling about roe jane, 75/F": the name-like words right before the age and sex."""
        start = self._name_words_before(text, s)
        if start is None:
            return None
        value = text[start:s]
        if value[0].isupper() and len(value.split()) == 1 and _HEAD.search(text, 0, start) is None:
            return None  # one capitalised word mid-sentence is left to the other rules
        return start, s

    def _judge_row_cell(self, text: str, m: re.Match, s: int, e: int):
        """A row cell of listed or unknown words, when another cell of the row is an id, age or date."""
        if text[e - 1] in "-'":
            return None  # "refe-" broken at the line's end
        words = [w.lower().strip("'-") for w in text[s:e].split()]
        namey = [self._namey(w, 4) and not _ENGLISH_SHAPE.match(w) for w in words]
        # a lower-case cell needs one name-like word ("roe ilia"), any other cell all ("Neurodiagnostic Lab")
        if not (any(namey) if text[s:e].islower() else all(namey)):
            return None
        stop = (self.common, self.months, _TITLE_WORDS, _CRED_WORDS)
        if any(w in lex for w in words for lex in stop):
            return None  # "pending", "may": an ordinary word makes the cell no name
        clinical = sum(w in self.allow for w in words)
        if clinical >= max(1, len(words) - 1) and not (len(words) == 2 and namey[0]):
            return None  # "vancomycin trough"; "roe echo" (a surname no list knows, then a given name) is one
        a, b = text.rfind("\n", 0, s) + 1, text.find("\n", e)
        line = text[a : b if b >= 0 else len(text)]
        cells = [c for c in re.split(r"\t|   +", line) if c.strip()]
        if len(cells) < 3:
            return None  # a row: the name and at least two other cells
        return (s, e) if _ROW_PHI.search(line.replace(text[s:e], "", 1)) else None

    def _judge_dotted_lower(self, text: str, m: re.Match, s: int, e: int):
        role = _ROLE_COLON_BEFORE.search(text, max(0, s - 30), s)
        if role and (role.group(1).lower() in _ROLE_WORDS or _PERSON_ROLE.search(role.group(1))):
            return s, e  # "Tech: p.m.": after a person's role even a clinical abbreviation is initials
        value = text[s:e] if text[e - 1] == "." else text[s:e] + "."  # "i.e" written without its last dot
        if value in _DOTTED_TERMS:
            return None
        sig = _DOTTED_SIG_BEFORE.search(text, max(0, s - 12), s) or _DOTTED_SIG_AFTER.match(text, e)
        return (s, e) if sig else None  # mid-sentence "x.y." is left to the clinical reading

    def _by_credential_word(self, text: str, m: re.Match, s: int, e: int) -> bool:
        """"FOUND BY CNA HUNG.": after "by" and a credential, one word closing the clause is the person's
        name even when it is an ordinary word (not a clinical, calendar or common word, nor an adverb)."""
        tok = _TOKEN.match(text, s)
        if tok is None or tok.end() != e or not _BY_CRED_BEFORE.search(text, max(0, s - 20), s):
            return False
        low = tok.group().lower()
        if low in self.allow or low in self.months or low in self.common:
            return False
        if low.endswith("ly") or len(low) < 3:  # "QUICKLY", "OK"
            return False
        return _CLAUSE_END_AFTER.match(text, e) is not None

    def _lf_field(self, text: str, value: str, e: int) -> bool:
        """"PT QUARNE, CHANCE   MRN": a header field vouches for an ordinary word as the given name when the
        surname is no ordinary word."""
        toks = _TOKEN.findall(value)
        last, first = toks[0].lower(), toks[1].lower()
        if last in self.vocab or last in self.common or last in self.allow or last in self.months:
            return False
        if first in self.allow or first in self.months or first in _CRED_WORDS or len(first) < 2:
            return False
        return _LF_FIELD_END.match(text, e) is not None

    def _trim_right(self, text: str, s: int, e: int, strict: bool = False):
        """'Discussed with John Smith, MD' -> the acceptable tokens adjacent to the credential.
        strict (no comma before the credential): every word must be a listed name or no known word."""
        toks = [(mm.start() + s, mm.end() + s, mm.group()) for mm in _TOKEN.finditer(text[s:e])]
        keep = []
        for ts, te, t in reversed(toks):
            low = t.lower()
            if not strict and len(keep) >= 2 and len(t) > 1 and (
                _ROLE_HEAD.match(low) and low not in self.names and low not in self.intl
                or t.isupper() and len(t) <= 3 and not _caps_line(text, ts)
            ):
                break  # "Physician Lor Roe, MD", "PI Jo Roe, MD": a role word or an acronym heads the name
            if len(keep) == 1 and low in self.months and t[0].isupper() and len(t) > 2 and not re.search(
                r"\d[ \t,./-]*$", text[max(0, ts - 4) : ts]
            ):  # "Jun Guzenko, RN", "April Stone MD": a month before the surname is the given name
                keep.append((ts, te))
                break
            if strict and len(t) > 1 and (
                low in self.allow
                or (low in self.vocab or low in self.common)
                and low not in self.names
                and low not in self.intl
            ):
                # "Lot Hosey MD" alone on its line: the first word is the given name; "Giulio Pons MD": a
                # listed given name before an allow-listed word makes that word the surname
                line_start = text.rfind("\n", 0, ts) + 1
                line_head = _HEAD.search(text, line_start, ts) is not None
                prev = list(_TOKEN.finditer(text, s, ts))[-1:]
                p = prev[0].group().lower() if prev else ""
                # "KAMIEL RUSTY CHOMSRI RN": an unknown word heading the line is the given name, so an
                # ordinary word after it is a middle name
                prev_head = bool(prev) and _HEAD.search(text, line_start, prev[0].start()) is not None
                after_first = bool(prev) and (
                    p in self.first or p in self.intl or prev_head and p not in self.vocab
                )
                given = line_head and any(text[a:b].lower() not in self.vocab for a, b in keep)
                if not (t[0].isupper() and (given or after_first and (not keep or prev_head))):
                    break
                keep.append((ts, te))
                continue
            if strict and len(t) > 1 and (low in self.months or low in _TITLE_WORDS):
                break
            if (
                len(t) == 1
                or self._ok(t, "strong_caps" if t.isupper() else "strong")
                and (t.lower() not in self.common or t.lower() in self.names)
            ):
                keep.append((ts, te))
            elif not keep and t[0].isupper() and self._given_before(text, s, ts):
                keep.append((ts, te))  # "Yen Bell, RN", "T. BELL, RN": an eponym/word as the surname
            else:
                break
        if not keep or all(te - ts == 1 for ts, te in keep):
            return None
        return keep[-1][0], keep[0][1]

    def _given_before(self, text: str, s: int, ts: int) -> bool:
        """The token before `ts` (inside the candidate) is an initial or a listed/unknown given name."""
        prev = _TOKEN.findall(text[s:ts])[-1:]
        if not prev:
            return False
        p = prev[0].lower()
        listed = p in self.first or p in self.intl or p not in self.vocab
        return len(p) == 1 or listed and p not in self.allow

    def _last_first_ok(self, value: str, loose: bool = False, shape: bool = False) -> bool:
        toks = _TOKEN.findall(value)
        last, first = toks[0].lower(), toks[1].lower()
        if last in self.allow or first in self.allow or first in _CRED_WORDS:
            return False
        if shape:  # evidence comes from the surrounding shape; the parts only must not be ordinary words
            return last not in self.common and first not in self.common and last not in self.months
        if (
            loose
        ):  # after a label ("Patient: DOE, JANE"): a listed name, or two words that are no ordinary words
            return (
                last in self.names
                or first in self.names
                or (last not in self.vocab and first not in self.vocab)
            )
        return last in self.last and first in self.first

    def _bracket_initials(self, text: str, found: list[RecognizerResult]) -> list[RecognizerResult]:
        """"Jo Roe (JR)", "Jo M. Roe, RN (JMR)": 2-4 capitals in brackets right after a found name (or its
        credentials) starting with the name's first letter are the person's initials; "Jo Oak (JO)": a word
        between the name and initials that spell both is the surname."""
        out = []
        for r in found:
            window = text[r.end : r.end + 16]
            if r.score < 0.5 or "(" not in window and "/" not in window:
                continue
            heads = "".join(w[0].upper() for w in _TOKEN.findall(text[r.start : r.end]))
            m = _BRACKET_INI_AFTER.match(text, r.end)
            if m and m.group(1)[0] == text[r.start].upper() and (
                m.group(1).lower() not in _SERVICES or heads.endswith(m.group(1))
            ):  # "COSTA TARN (CT)": letters spelling the name's initials are initials, even "CT"
                out.append(self._result(m.start(1), m.end(1), 0.85, "propagated"))
                continue
            m = _DOTTED_INI_AFTER.match(text, r.end)
            if m and heads.endswith(m.group(1).replace(".", "")):  # "(P.M.)" spelling the name: initials
                out.append(self._result(m.start(1), m.end(1), 0.85, "propagated"))
                continue
            m = _WORD_BRACKET_INI_AFTER.match(text, r.end)
            if m and (heads + m.group(1)[0].upper()).endswith(m.group(2)) and len(heads) + 1 >= 2:
                low = m.group(1).lower()
                if low not in self.allow and low not in _CRED_WORDS and low not in _TITLE_WORDS:
                    out.append(self._result(m.start(1), m.end(1), 0.85, "propagated"))
                    out.append(self._result(m.start(2), m.end(2), 0.85, "propagated"))
        return out

    def _bracket_given(self, text: str, found: list[RecognizerResult]) -> list[RecognizerResult]:
        """"RESIDENT OKAFOR (CHIDI)": one word in brackets right after a found name is the given name, unless
        it is a role, kin, credential, clinical, calendar or ordinary word ("Roe (RN)", "Roe (sister)")."""
        out = []
        for r in found:
            if r.score < 0.5 or "(" not in text[r.end : r.end + 3]:
                continue
            m = _BRACKET_WORD_AFTER.match(text, r.end)
            if m is None:
                continue
            low = m.group(1).lower()
            if low in self.allow or low in self.months or low in self.common or low in _CRED_WORDS:
                continue
            if low in _BRACKET_ROLES or low in _SERVICES or low in _NOT_GIVEN:
                continue
            if re.fullmatch(_RELATIONS, low):
                continue
            if low in self.vocab and low not in self.names and low not in self.intl:
                continue  # "Roe (deceased)", "Roe (Spanish)"
            out.append(self._result(m.start(1), m.end(1), 0.85, "propagated"))
        return out

    def _propagate(self, text: str, found: list[RecognizerResult]) -> list[RecognizerResult]:
        """Tag other capitalised mentions of the tokens of names found with evidence (score >= 0.5)."""
        loose, exact = set(), set()  # loose: any capitalisation; exact: ordinary words, same spelling only
        owned = set()  # every word of a found name: its possessive ("RUE'S", "Jun's") is the person's
        weak = set()  # words found only in a file name: no evidence for an acronym in prose ("SPECT")
        strong = set()
        for r in found:
            if r.score < 0.5:
                continue
            in_file = r.recognition_metadata.get("pattern") == "file_name"
            for t in _TOKEN.findall(text[r.start : r.end]):
                low = t.lower()
                (weak if in_file else strong).add(low)
                if len(t) > 1 and low not in _TITLE_WORDS and low not in _CRED_WORDS:
                    owned.add(low)
                if len(t) > 2 and low not in self.allow and low not in self.months:
                    if low in self.common:
                        exact.add(t)
                    else:
                        loose.add(low)
        weak -= strong
        if not owned:
            return []
        out = self._bracket_initials(text, found) + self._bracket_given(text, found)
        for m in _CAP_TOKEN.finditer(text):
            tok, end = m.group(), m.end()
            poss = tok.endswith(("'s", "'S"))
            if poss:  # "Arent's hospital course"
                tok, end = tok[:-2], end - 2
            low = tok.lower()
            if low in loose or tok in exact or poss and low in owned:
                if low in weak and tok.isupper() and len(tok) > 1 and not _caps_line(text, m.start()):
                    continue  # "spect_roe.zip" vouches for no "SPECT" in mixed-case prose
                start = m.start()
                if start >= 2 and _GLUED_INITIAL.match(text, start - 2) and (
                    start == 2 or not (text[start - 3].isalnum() or text[start - 3] == ".")
                ):
                    start -= 2  # "C.Okafor": an initial glued to the surname goes with it
                tail = None if poss else LF_INITIAL.match(text, end)  # "(ROE, S.)": the given name's initial
                out.append(self._result(start, tail.end() if tail else end, 0.85, "propagated"))
        if "_" in text:  # "rain_wound1.jpg"
            out += [
                self._result(m.start(), m.end(), 0.8, "propagated")
                for m in _EMBEDDED.finditer(text)
                if m.group().lower() in loose or m.group() in exact
            ]
        return out + [
            self._result(m.start(), m.end(), 0.8, "propagated")
            for m in _LOW_TOKEN.finditer(text)
            if m.group() in loose and m.group() not in self.vocab
        ]

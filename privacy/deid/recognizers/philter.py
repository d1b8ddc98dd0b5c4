"""Allow-list pass (Philter-style): a proper-noun-shaped word that is no known word is presumed PHI.

After Norgeot et al. 2020, "Protected Health Information filter (Philter)", npj Digit. Med. 3:57: instead of
recognising every name and place form, recognise what is SAFE and scrub the rest. Pattern recognizers miss
names and places they have no list entry or cue for; this pass fails closed on them.

Design choices
- Candidates: a capitalised word (or, on an ALL-CAPS line, any alphabetic word of 3+ letters) that is in none
  of: english_vocab.txt (lower-case words of the medical corpus), common_words.txt, medical_allow.txt,
  medical_corpus_vocab.txt, proper_allow.txt (capitalised non-PHI words of the medical corpus: organisms,
  agencies, brands; countries), months/weekdays, state names, kin words; that has no clinical or English
  word shape (drug stems -olol/-pril/-mab..., disease suffixes -itis/-osis/-emia..., -tion/-ment on longer
  words, internal capitals "HFrEF", short capitals "BNP" in mixed-case text); and that the same note does not
  also write in lower case outside an e-mail/URL and not right after a person cue (a word written
  "keratitis" elsewhere is a term). A name-list entry (en_US + all Latin-script Faker locales) is always a
  candidate.
- Context scoring, not a hard rule: base 0.55 inside a sentence (a capital there marks a proper noun), 0.5
  at the start of a sentence, line or bullet (fail closed: notes start lines with names; known words are
  not candidates at all), 0.55 on an ALL-CAPS line but 0.35 for its 3-4 letter words (abbreviations);
  +0.3 for a name-list entry; +0.3 for a person/place cue just before ("Dr", "daughter", "from", "lives
  in") or a facility noun after; +0.2 next to another candidate. Threshold 0.5 (the registry's). Dropped
  outright: a label (colon/# after: "Ext:", "Acct #") and, unless a person cue ("Dr", "wife", "d/w")
  comes right before, a word in term context: an eponym (a head noun after: "Kawasaki disease", "Charcot
  foot", "Tinel's sign"; or a known disease-shaped word: "Takotsubo cardiomyopathy"), a brand drug (a
  dose, ratio, route or frequency after: "Zorbix 20 mg", "Sinemet 25/100 PO", "Zorbix BID"; a drug verb
  after: "Zorbix given"; a generic in brackets after or before: "Aricept (donepezil)", "acarbose
  (Precose)"; a drug verb before, when the word ends the clause: "started Zorbix.", "remains on Zorbix,").
  Unknown eponyms and brands are thus kept by their context, not by a list of them. Also term context: a
  letter/numeral between an eponym and its head noun ("Kerley B lines", "Mobitz II block"), a lab value
  after the word ("Procalcitonin 2.53"), a score/scale after it ("MORSE FALL SCORE"), a bedside scale
  eponym with its score ("BRADEN 14").
- Acronyms and products are no candidates, by shape: a hyphenated capital word with an acronym-shaped part
  ("C-SSRS", "EBUS-TBNA"), a short capital word with one vowel in mixed-case text ("LVEDP"), a word-forming
  prefix run into a known word ("BIOPATCH"), the plural of a medical-list word ("Apgars"). A capitalised word
  before up to three capitalised words and an instrument head noun ("Berg Balance Scale", "Mallampati class",
  "Leopold maneuvers") is term context (TERM_HEAD_AFTER, shared with the name and city recognizers).
- A lone initial after a scrubbed name before a field break goes with it ("Yeldor Q  06/11/2024"), and so
  does ", K." after a scrubbed surname ("Dalmau, K.").
- Known words also cover clinical_vocab.txt (charting, equipment, signs, sig abbreviations, US brands) and
  typos: a word two adjacent letters away from a known word ("Reaosn", "fxaed") is not a candidate.
- Lower-case names: an unknown lower-case word right after a person cue ("d/w krain", "husband zorvath",
  "officer", "nurse", "pt") or before a relation in brackets ("quom (sister)"), the unknown word next to
  a found one ("d/w tasnim mcgeady"), an ordinary word between a cue and such a word ("pt aura
  wangari"), and a listed (or unknown, 4+ letters) lower-case subject heading a clause before a verb ("...
  home, eda is feeding my cat"). Capitalised: an ordinary given name between a cue and a found surname
  ("w/ Wand Zorvath"), a short given name after a found "LAST," ("ZORVATH, QUIR").
- A word refused only for its drug-like shape or as a typo is a name after an initial ("N. Quarvine") or
  owning a relative ("Toros's parent"); an ordinary word opening a person's field before a found surname
  is the given name ("Injured: Pilot Zorvath"); capitals in brackets spelling the initials of scrubbed words
  are initials even when they spell a test ("NURSE CORVAL TIRNEK (CT)").
- A word refused only for its clinical shape right after a found given name is the surname ("Hilal
  Quellapoma"); an ordinary word between a role noun and a found surname is the given name ("triage officer
  Promise Zorvath"); "LAST," opening a table cell or a column before a found given name is the surname.
- An initial (also glued: "J.Zorvath") or a name particle right before a scrubbed word goes with it ("Van
  Kell"); every scrubbed word is propagated to its other mentions in the note, any case ("ZORVATH",
  "zorvath"), possessives too ("Jun's").
- Type: LOCATION when a place cue ("in", "from", "at", "lives") or a facility noun is adjacent, else NAME.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from medfl.privacy.deid.recognizers.base import (
    MONTH_ABBREVS,
    MONTH_NAMES,
    WEEKDAY_ABBREVS,
    WEEKDAYS,
    MedflPatternRecognizer,
    load_lexicon,
)

# a word of letters in any script ("Zoë", "Łukasz", "O'Brien", "Kell-Zorvath"), an optional possessive apart
_WORD = re.compile(r"(?<![\w'])([^\W\d_]+(?:['-][^\W\d_]+)*?)(?:'s)?(?![\w'-])")
_PREFIXED = re.compile(r"(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|Vander|O'|D')[A-Z]")
_CLINICAL_SHAPE = re.compile(
    r"(?i)(?:itis|osis|oses|emia|aemia|oma|omas|ectomy|otomy|ostomy|plasty|scopy|graphy|gram|pathy|algia|uria|"
    r"cardia|trophy|plegia|paresis|lysis|penia|pnea|noea|cele|rrhea|rrhoea|megaly|sclerosis|genic|cytes?|"
    r"itol|olol|pril|sartan|statin|azole|mycin|micin|cillin|floxacin|cycline|dipine|azepam|azolam|oxetine|"
    r"aline|mab|nib|parin|prazole|tidine|afil|vir|lukast|formin|gliptin|glitazone|triptan|setron|dronate|"
    r"terol|sone|olone|semide|thiazide|amide|pine|done|pam|zine|xaban|gatran|caine|ium|ase|ine|centesis|"
    r"lactone|sorbide|nitrate|ated)$"
)
# English derivational endings: only on longer words, short names end like this too ("Jous", "Ed"); -ic
# only from 8 letters ("Ashric", "Jurisic" are names, "Anicteric" is a sign)
_ENGLISH_SHAPE = re.compile(
    r"(?i)^(?:.{4,}(?:ed|ing|ly|tion|sion|ment|ness|ous|ive|ical|ary|ory|ity|ism|ist|able|ible)|.{6,}ic)$"
)
# a head noun after a capitalised word makes it an eponym ("Charcot foot", "Zenker diverticulum"), as does any
# word of clinical shape ("Takotsubo cardiomyopathy", "Hashimoto thyroiditis"): see `_eponym_after`
_EPONYM_AFTER = re.compile(
    r"(?:'s?)?(?:[ \t]+(?:[A-Z]|[IVX]{1,4}|\d))?"  # "Kerley B lines", "Mobitz II block"
    r"[ \t]+(?i:disease|diseases|syndrome|sign|signs|tests?|maneuvers?|manoeuvres?|reflex|palsy|phenomenon|"
    r"class|classes|prep|preparation|scales|scores|dressing|patch|device|"
    r"procedure|operation|score|criteria|classification|scale|catheter|tube|stage|type|lymphoma|sarcoma|"
    r"tumou?r|fracture|ulcer|ataxia|dystrophy|anomaly|esophagus|thyroiditis|encephalopathy|gait|node|nodes|"
    r"cell|cells|virus|bacteria|infection|fever|formula|equation|position|method|technique|solution|foot|"
    r"hand|knee|elbow|shoulder|hip|angina|contracture|diverticulum|diverticula|cardiomyopathy|tear|tears|"
    r"lesion|lesions|deformity|malformation|hernia|cyst|cysts|triad|pentad|law|body|bodies|granules|"
    r"nodule|nodules|spots|patches|line|lines|space|pouch|duct|gland|glands|canal|membrane|valve|shunt|"
    r"stent|repair|reconstruction|flap|graft|block|approach|incision|classification|grade|grading|index|"
    r"rule|rules|criterion|questionnaire|inventory|assessment|exam|examination|view|projection|"
    r"aneurysm|fistula|neuralgia|neuroma|disorder|anemia|mole|nevus|dementia|chorea|paralysis|"
    r"neuropathy|myopathy|arthropathy|reaction|response|effect|bundle|loop|area|zone|stain|agar|"
    r"complex|sequence|spectrum|variant|pattern|murmur|rhythm|wave|waves|depression|elevation|tremor|"
    r"collar|brace|splint|boot|mask|bag|needle|forceps|retractor|pump|balloon|filter|port|"
    r"regimen|protocol|criteria|therapy|trial|vaccine|drops|ointment|cream|tablets?|capsules?|respirations?|"
    r"breathing|pulse|rash|nodes|plaques?|ring|rings)\b"
)
# a named instrument: up to three capitalised words, then the head noun of a scale, score or test:
# "Berg Balance Scale", "Boston Bowel Prep Scale", "Richmond Agitation-Sedation Scale" (no person or town is
# followed by such a head noun; a person cue before still wins)
TERM_HEAD_AFTER = re.compile(
    r"(?:'s)?(?:[ \t]+[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)?){0,3}[ \t]+(?i:scale|scales|score|scores|class|"
    r"classification|criteria|grade|grading|stage|staging|index|questionnaire|inventory|maneuvers?|"
    r"manoeuvres?|sign|test|tests|prep|assessment|screen|screening|tool|protocol|rating)\b"
)
# nouns of disease (not verbs such as "ambulated" or drugs): the word before is an eponym
_DISEASE_SHAPE = re.compile(
    r"(?:itis|osis|oses|emia|aemia|oma|omas|pathy|pathies|algia|uria|cardia|trophy|plegia|paresis|penia|"
    r"pnea|cele|rrhea|megaly|sclerosis|ectasia|ectasis|plasia|stenosis|spasm|asthenia|iasis|lepsy|philia|"
    r"phobia|mania|ism|itides|uloma)$"
)
# a lab or score value after the word: "Procalcitonin 2.53", "Lactate 4.1" (a name is not followed by a
# decimal), and a scale named by its eponym: "MORSE FALL SCORE 45", "Braden scale"
_LAB_VALUE = re.compile(r"[ \t]*[:=]?[ \t]*[<>]?\d*\.\d+(?![\d./])")
_SCORE_AFTER = re.compile(r"(?:[ \t]+[A-Za-z]+){0,2}[ \t]+(?i:score|scale|criteria|classification|grade)\b")
_SCALE_NUMBER = re.compile(r"[ \t]*:?[ \t]*\d{1,2}(?![\d/.:-])")
_SCALES = frozenset(  # eponymous bedside scales written "<NAME> <score>" in nursing notes (hand-written)
    "braden morse norton waterlow glasgow apgar caprini padua wells ranson killip mallampati gleason "
    "breslow karnofsky ashworth lachman rass richmond cam aldrete kps ecog nihss".split()
)
# a lone initial after a name, before a field break: "Yeldor Q  06/11/2024", "ORDERING PROVIDER: Zorn A"
# a short ALL-CAPS word without a vowel, or opening with three consonants no English/name onset has
_ACRONYM_SHAPE = re.compile(
    r"^(?:[^AEIOUY]+$|(?!SCH|STR|SPR|SCR|SPL|THR|CHR|SHR|PHR|SQU)[B-DF-HJ-NP-TV-XZ]{3})"
)
# a measurement list: "INR 2.6, AST 125": a number and a comma before, a number after
_MEASURE_BEFORE = re.compile(r"\d(?:\.\d+)?%?[ \t]*[,;][ \t]*$")
_NUMBER_AFTER = re.compile(r"[ \t]*:?[ \t]*\d")
# a drug verb and a determiner before: "since i started the Zorvexa", "stopped my Plimtor"
_DRUG_BEFORE_DET = re.compile(
    r"(?i)\b(?:start|started|starting|stop|stopped|take|takes|taking|took|tried|using|use|on|off)[ \t]+"
    r"(?:the|my|this|that|his|her)[ \t]+$"
)
# the initial of the given name after "Surname,": "Dalmau, K.", "Moes, U." (a dot: no state or credential)
LF_INITIAL = re.compile(r",[ \t]*[A-Z]\.(?![\w.])")
_TRAIL_INITIAL = re.compile(r"[ \t]+[A-Z]\.?(?=[ \t]*(?:$|\n|\t|[,;)]|[ \t]{2}|[ \t]+\d))")
_CLINICAL_NEXT = re.compile(r"(?:'s?)?[ \t]+([a-z]{5,}|[A-Z]{5,})\b")
# drug context: "Entresto 24/26 mg", "Sinemet 25/100 PO", "give Unasyn SQ", "Aricept (donepezil)"
_DOSE_AFTER = re.compile(
    r"(?:'s)?[ \t]*(?:\d+(?:\.\d+)?(?:/\d+(?:\.\d+)?)*[ \t]*(?:mg|mcg|g|ml|units?|meq|iu|tabs?|puffs?|%|"
    r"mg/kg|mg/ml)?[ \t]*)?(?:mg|mcg|meq|po|iv|ivp|ivpb|sq|sc|subq|sl|im|pr|ng|td|inh|neb|via[ \t]+(?:peg|ng|"
    r"g-?tube|j-?tube)|bid|tid|qid|qd|qhs|qam|qpm|daily|nightly|prn|q\d+h|q\d+-\d+h|x[ \t]*\d+[ \t]*d)\b",
    re.I,
)
_DOSE_NUMBER = re.compile(r"(?:'s)?[ \t]*\d+(?:\.\d+)?(?:/\d+(?:\.\d+)?)+(?![\w/])")  # "25/100", "24/26"
_DRUG_BEFORE = re.compile(
    r"(?i)\b(?:give|given|gave|start|started|starting|restart(?:ed)?|continue|continued|cont|resume|resumed|"
    r"hold|held|stop|stopped|d/c|dc'?d|discontinue[d]?|switch(?:ed)?\s+to|change[d]?\s+to|increase[d]?|"
    r"decrease[d]?|titrate[d]?|taper(?:ed)?|prescribed|rx|takes|taking|took|trial\s+of|dose\s+of|"
    r"(?:remains|remained|currently|already|still|been|maintained|placed|kept|was|is|pt)\s+on|"
    r"course\s+of|allergic\s+to|allergy\s+to|allergies:?|intolerant\s+of|meds?:?)[ \t]*$"
)
_DRUG_VERB_AFTER = re.compile(
    r"[ \t]+(?:was[ \t]+|is[ \t]+|were[ \t]+)?(?i:given|administered|held|started|restarted|stopped|"
    r"discontinued|dc'd|increased|decreased|titrated|tapered|dosed|infusing|drip|gtt)\b"
)
_CLAUSE_END = re.compile(r"(?i)(?:'s)?[ \t]*(?:[,.;:)\n/]|$|(?:and|or|for|with|as|prn|daily|x)\b)")
_GENERIC_IN_PARENS = re.compile(r"[ \t]*\(([a-z][a-z-]{4,}(?:[ \t/,-]+(?:and[ \t]+)?[a-z][a-z-]{4,})*)\)")
_PAREN_AFTER_GENERIC = re.compile(r"\b([a-z][a-z-]{4,})[ \t]*\([ \t]*$", re.I)
_PERSON_CUE = re.compile(
    r"(?i)(?:\b(?:mr|mrs|ms|miss|dr|drs|prof|doctor|pt|patient|wife|husband|spouse|partner|daughter|son|mother|"
    r"father|mom|dad|sister|brother|aunt|uncle|niece|nephew|cousin|grandson|granddaughter|friend|neighbou?r|"
    r"caregiver|guardian|proxy|hcp|poa|contact|by|with|per|to|cc|re|signed|seen|called|paged|spoke|d/w|"
    r"attending|resident|nurse|rn|np|pa|md|pcp|name|named|and|&)\.?)[ \t]*$"
)
# a cue that names a person outright: an eponym or drug word after it is still a name ("Dr. Charcot foot")
_STRONG_PERSON_CUE = re.compile(
    r"(?i)\b(?:(?:mr|mrs|ms|dr|drs|prof|pt)\.?|miss|doctor|patient|wife|husband|spouse|partner|daughter|son|"
    r"mother|father|mom|dad|sister|brother|aunt|uncle|niece|nephew|cousin|grandson|granddaughter|friend|"
    r"neighbou?r|caregiver|guardian|proxy|hcp|poa|d/w|attending|resident|nurse|rn|np|pa|md|pcp|name|named|"
    r"signed\s+by|seen\s+by|spoke\s+(?:with|to))[ \t]*$"
)
_LF_HEAD = re.compile(r"(?<![\w'-])([A-Z][a-z]+|[A-Z]{2,}),[ \t]*$")
_LF_HEAD_CUE = re.compile(
    r"(?:^|\n|:|\||\t|[^ \t] {3}|\b(?i:pt|patient|attending|resident|officer|nurse|dr|mr|mrs|ms|name|by|with|"
    r"w/|per|and))[ \t]*$"  # a line, a label, a table cell or a column gap opens the field
)
_LF_STRONG_CUE = re.compile(r"\b(?i:pt|patient|attending|resident|officer|nurse|dr|mr|mrs|ms|name)[ \t:]*$")
_LINE_END = re.compile(r"[ \t]*(?:\n|$|[A-Z]\.)")
_LF_TAIL = re.compile(r",[ \t]*([A-Z][a-z]{1,3}|[A-Z]{2,4})(?![\w'-])(?![ \t]*[,:]|[ \t]+\d{5})")
_SUFFIX_WORDS = frozenset(  # credentials and name suffixes written after "Name,"
    "md do np pa rn lpn lvn cnp fnp aprn crna cnm dpt otr rd rrt msw lcsw phd dds dmd mbbs pharmd rph "
    "jr sr ii iii iv esq facp facs facc".split()
)
_GIVEN_BEFORE = re.compile(r"(?<![\w'-])([A-Z][a-z]{2,})[ \t]+$")
# a label naming a person ("Injured: ", "Caller: ", "Client: ", "Contact: "), not a section ("Diagnosis:")
_FIELD_LABEL_BEFORE = re.compile(
    r"(?:^|[ \t])(?i:[a-z]+(?:ed|er|or|ent|ant|ist|ian)|name|contact|subject|victim|child|guest|member|pt)"
    r":[ \t]+$",
    re.M,
)
_GIVEN_CUE = re.compile(
    r"(?i)\b(?:(?:mr|mrs|ms|dr|drs|pt)\.?|miss|patient|wife|husband|spouse|partner|daughter|son|mother|father|"
    r"sister|brother|aunt|uncle|niece|nephew|friend|w/|with|per|by|spoke\s+to|d/w|cc:?)[ \t]*$"
)
_PLACE_CUE = re.compile(
    r"(?i)\b(?:in|from|at|to|near|of|lives|resides|living|moved|transferred|admitted|discharged|visiting|"
    r"home|facility|address)[ \t]*$"
)
_FACILITY_AFTER = re.compile(
    r"[ \t]+(?:Hospital|Medical|Health|Clinic|Rehab|Rehabilitation|Nursing|Hospice|Manor|Center|Centre|Care|"
    r"Home|Lodge|Village|Gardens|Residence|Living|Infirmary|Institute|Pharmacy|Valley|County|HOSPITAL|"
    r"MEDICAL|HEALTH|CLINIC|REHAB|NURSING|HOSPICE|MANOR|CENTER|CARE|HOME)\b"
)
_KIN_WORDS = (
    r"wife|husband|spouse|partner|daughter|son|mother|father|mom|dad|sister|brother|aunt|uncle|niece|nephew|"
    r"cousin|grandson|granddaughter|grandmother|grandfather|friend|neighbou?r|caregiver|guardian|proxy"
)
_PREV_LOWER = re.compile(r"(?<![\w'@./-])([a-z]{3,})[ \t]+$")
_LOWER_TOKEN = re.compile(r"(?<![\w'@./-])[^\W\d_A-Z]+(?:['-][^\W\d_A-Z]+)*(?![\w'@/-]|\.\w)")
_LOWER_WORD = re.compile(r"(?<![\w'@./-])(?=[^\W\d_])(?:[a-z]{1,2}')?[^\W\d_A-Z]{3,}(?![\w'@/-]|\.\w)")
_LOWER_CUE = re.compile(
    r"(?i)\b(?:mr|mrs|ms|dr|pt|patient|" + _KIN_WORDS + r"|d/w|spoke\s+(?:with|to)|called|paged|signed\s+by|"
    r"seen\s+(?:by|with)|discussed\s+with|reviewed\s+by|requested\s+by|per|cc:|officer|nurse|rn|np|pcp|"
    r"attending|resident|fellow|intern|tech|technician|therapist|aide|interpreter|chaplain|pharmacist|"
    r"dietitian|paramedic|emt|notified|informed|updated|caller|calling\s+about)\.?[ \t]*:?[ \t]*\(?[ \t]*$"
)
# a lower-case subject heading a clause: "I want to go home, eda is feeding my cat" (listed or unknown word)
_SUBJECT_VERB_AFTER = re.compile(
    r"[ \t]+(?:is|was|has|had|will|would|can|could|said|says|told|came|comes|visits|visited|lives|called|"
    r"brought|takes|took|helps|helped|drives|drove|stays|stayed)[ \t]+[a-z]"
)
_CLAUSE_HEAD = re.compile(r"(?:^|[,;:\"(]|[.!?][ \t])[ \t]*$", re.M)
_RELATION_AFTER = re.compile(r"[ \t]*\((?i:" + _KIN_WORDS + r"|pcp|rn|md|np|pa)\)")
_LABEL_AFTER = re.compile(r"[ \t]*[:#]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]|\n[ \t]*(?:[-*\u2022]|\d+[.)])?)[ \t\"'(]*$")
_PARTICLE_BEFORE = re.compile(
    r"(?<![\w])(?:Van|Von|Vander|Der|Den|De|Da|Di|Du|Del|Della|Dos|La|Le|Al|El|Bin|Ibn|St\.?|Ste\.?)"
    r"(?:[ \t]+(?:la|le|der|den))?[ \t]+$"
)
_SHAPE_NAME_CUE = re.compile(
    r"(?<![\w'-])([A-Z][a-z]{2,})(?:(?=[ \t]+(?:said|says|told|asked|states|stated|reports|reported|"
    r"explained|replied|agreed|declined|wants|wanted|asks)\b)|[ \t]+[A-Z]\.(?![\w.]))"
)
_BRACKET_INI = re.compile(r"\(([A-Z]{2,3})\)")
_WORD_RUN_BEFORE = re.compile(r"(?:[A-Za-z][A-Za-z'-]*[ \t]){2,3}$")
# a person's role noun right before "<Given> <Surname>" (not a bare "nurse": "nurse Practitioner Zorvath")
_ROLE_NOUN_BEFORE = re.compile(
    r"(?i)\b(?:officer|manager|coordinator|owner|buddy|contacts?|supervisor|navigator|educator|worker|"
    r"technician|therapist|interpreter|chaplain|pharmacist|dietitian|paramedic|sponsor|examiner|surgeon|"
    r"physician|histotech|scribe)[ \t]*:?[ \t]+$"
)
# role and rank titles that may stand between a role noun and a surname
_ROLE_TITLE = re.compile(
    r"(?:practitioner|assistant|specialist|resident|fellow|attending|director|manager|coordinator|chief|"
    r"head|senior|junior|lead|staff|charge|registered|licensed|certified|clinical|case|social|primary|"
    r"on-call|covering|interim|acting|deputy|sergeant|captain|lieutenant|officer|nurse|doctor)$"
)
_NEXT_WORD = re.compile(r"[ \t]+([A-Z][a-z]{2,}|[A-Z]{3,})(?![\w'-])")  # the word right after a name
_INITIAL_BEFORE = re.compile(r"(?<![\w.])[A-Z](?:\.?[ \t]+|\.)$")  # "J. Zorvath", "J.Zorvath"
# an initial with a full stop before a capitalised word: the word is a surname ("S. Quarvine"), any shape
# (scanned from the full stop, a literal: ten times faster; the initial before it is checked in code)
_INITIAL_SURNAME = re.compile(r"\.[ \t]([A-Z][a-z]{2,}|[A-Z]{3,})(?![\w'-])")
# (scanned from the literal "'s", the word before it read back: faster than a scan from every capital)
_POSSESSIVE_KIN = re.compile(
    r"'s[ \t]+(?i:parents?|mother|father|mom|dad|wife|husband|spouse|partner|son|daughter|sister|brother|"
    r"aunt|uncle|niece|nephew|cousin|grand(?:mother|father|son|daughter)|guardian)\b"
)
_OWNER_BEFORE = re.compile(r"(?<![\w'-])[A-Z][a-z]{2,}$")
_LONE_CAPITAL = re.compile(r"(?<![\w.'-])[A-Z]")
_KIN = {  # cue words themselves (ALL-CAPS notes: "CONTACT NIECE ...")
    "niece",
    "nephew",
    "daughter",
    "son",
    "wife",
    "husband",
    "spouse",
    "sister",
    "brother",
    "mother",
    "father",
    "aunt",
    "uncle",
    "cousin",
    "grandson",
    "granddaughter",
    "grandmother",
    "grandfather",
    "stepson",
    "stepdaughter",
    "fiance",
    "fiancee",
    "boyfriend",
    "girlfriend",
    "roommate",
    "caregiver",
    "guardian",
    "pt",
}
_GEO_AND_DISCOURSE = {  # larger than a state, or sentence adverbs the lower-case vocabulary rarely holds
    "asia",
    "asian",
    "europe",
    "european",
    "africa",
    "african",
    "america",
    "american",
    "americans",
    "latin",
    "hispanic",
    "caucasian",
    "english",
    "spanish",
    "french",
    "german",
    "chinese",
    "furthermore",
    "moreover",
    "however",
    "additionally",
    "overall",
    "nonetheless",
    "meanwhile",
    "otherwise",
    "therefore",
}
_RECORD_LABELS = {  # field labels of notes and forms, abbreviated ("Acct 1234", "Chaplain visited")
    "acct",
    "mrn",
    "dob",
    "dod",
    "fin",
    "csn",
    "har",
    "rm",
    "ext",
    "tel",
    "pgr",
    "fax",
    "ssn",
    "mbi",
    "npi",
    "dea",
    "vin",
    "apt",
    "ste",
    "dept",
    "addr",
    "pcp",
    "attg",
    "encntr",
    "chaplain",
    "admin",
    "acc",
    "ph",
    "phone",
    "cell",
    "pager",
    "mobile",
}
# word-forming prefixes of device/product names (hand-written, general English; short ones that start
# place or family names, "Sani-bel", "Tri-stan", "Medi-na", are left out)
_COMPOUND_PREFIXES = frozenset(
    "bio micro macro ultra hydro aqua derma cardio neuro gastro ortho pulmo thermo flexi endo anti poly "
    "multi".split()
)
_MONTHS = set(MONTH_NAMES) | MONTH_ABBREVS | WEEKDAYS | WEEKDAY_ABBREVS


class UnknownWordRecognizer(MedflPatternRecognizer):
    """Capitalised words that no allow-list knows: NAME (or LOCATION next to a place cue)."""

    ENTITY = "NAME"
    PATTERNS = [("unknown_word", _WORD.pattern, 0.55)]
    CONTEXT: list[str] = []  # scored in `analyze` (position, cues, neighbours), see the module docstring
    BASE_INSIDE, BASE_START, BASE_CAPS, BASE_CAPS_SHORT = 0.55, 0.5, 0.55, 0.35
    NAME_BOOST, CUE_BOOST, NEIGHBOUR_BOOST = 0.3, 0.3, 0.2
    THRESHOLD = 0.5

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        super().__init__(supported_language=supported_language, name=name)
        self.known = (
            load_lexicon("english_vocab.txt")
            | load_lexicon("common_words.txt")
            | load_lexicon("medical_allow.txt")
            | load_lexicon("medical_corpus_vocab.txt")
            | load_lexicon("clinical_vocab.txt")
            | load_lexicon("proper_allow.txt")
            | load_lexicon("states.txt")
            | frozenset(_MONTHS)
            | frozenset(_KIN)
            | frozenset(_GEO_AND_DISCOURSE)
            | frozenset(_RECORD_LABELS)
        )
        self.english = load_lexicon("english_vocab.txt")
        self.medical = load_lexicon("medical_allow.txt") | load_lexicon("proper_allow.txt")
        # second halves of product names: ordinary words, never a listed given name
        self.compound_parts = self.english - load_lexicon("first_names.txt")
        # proper_allow.txt holds capitalised terms and acronyms ("HUV"): no evidence about a lower-case word
        self.known_lower = self.known - (load_lexicon("proper_allow.txt") - load_lexicon("english_vocab.txt"))
        # words that are never a given name even after "pt": clinical vocabulary, kin and cue words
        self.clinical = (
            load_lexicon("medical_allow.txt")
            | load_lexicon("clinical_vocab.txt")
            | load_lexicon("common_words.txt")
            | frozenset(_KIN)
            | frozenset(_MONTHS)
        )
        self.names = (
            (
                load_lexicon("first_names.txt")
                | load_lexicon("last_names.txt")
                | load_lexicon("first_names_intl.txt")
                | load_lexicon("last_names_intl.txt")
            )
            - load_lexicon("common_words.txt")
            - load_lexicon("medical_allow.txt")
        )

    # ---- candidate test ------------------------------------------------------------------------
    def _unknown(self, tok: str, caps_line: bool, text: str, index: dict[str, list[int]]) -> bool:
        low = tok.lower()
        if low in self.known or len(tok) < 3 and low not in self.names:
            return False
        parts = re.split(r"['-]", low)
        if len(parts) > 1 and all(p in self.known or len(p) < 2 for p in parts):
            return False  # "Follow-up", "X-ray"
        if tok.isupper() and not caps_line and len(tok) <= 4:
            return False  # short capitals in mixed-case text are abbreviations ("OSA", "MGUS"), listed or not
        if tok.isupper() and len(tok) <= 5 and _ACRONYM_SHAPE.match(tok):
            return False  # no vowel or three leading consonants: "DJD", "HFREF", "CKD" are acronyms
        if "-" in tok and tok.replace("-", "").isupper() and any(
            len(p) == 1 or _ACRONYM_SHAPE.match(p) for p in tok.split("-")
        ):
            return False  # a hyphenated acronym: "C-SSRS", "EBUS-TBNA" (a double-barrelled name has vowels)
        if low in self.names:
            return True
        if tok.isupper() and not caps_line and len(tok) <= 6 and sum(c in "AEIOUY" for c in tok) <= 1:
            return False  # one vowel in a short capital word of mixed-case text: "LVEDP", "RVSP" (acronyms)
        if self._compound(low):
            return False  # a prefix and a known word run together: "BIOPATCH" (brands, devices)
        if _CLINICAL_SHAPE.search(low) or _ENGLISH_SHAPE.match(low) or self._written_lower(low, text, index):
            return False
        if self._typo(low):
            return False  # "Reaosn", "HANDFOF": a known word with two letters swapped
        stem = low[:-2] if low.endswith("es") and low[:-2] in self.known else low[:-1]
        plural = low[-1] == "s" and (len(low) >= 8 or len(low) >= 5 and stem in self.medical)
        if plural and stem in self.known:
            return False  # a plural of a known word ("RESPIRATIONS") or of a medical eponym ("Apgars")
        if tok.isupper():
            return caps_line and len(tok) >= 3 or len(tok) >= 5
        # no internal capitals ("HFrEF", "SpO2") except after a hyphen or a name prefix ("Kell-Zor", "McX")
        return all(not any(c.isupper() for c in p[1:]) or _PREFIXED.match(p) for p in re.split(r"-", tok))

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        caps_lines = _caps_lines(text)
        line_starts = [0] + [m.end() for m in re.finditer("\n", text)] if caps_lines else []
        cands = []  # (start, end, word)
        lower_index: dict[str, list[int]] = {}
        for m in _LOWER_TOKEN.finditer(text):
            lower_index.setdefault(m.group(), []).append(m.start())
        for m in _WORD.finditer(text):
            tok = m.group(1)
            caps = caps_lines[bisect_right(line_starts, m.start()) - 1] if caps_lines else False
            if not (caps or tok[0].isupper()):
                continue
            if self._unknown(tok, caps, text, lower_index):
                cands.append((m.start(1), m.end(1), tok, caps))
        results, found = [], set()
        for i, (s, e, tok, caps) in enumerate(cands):
            if _LABEL_AFTER.match(text, e):
                continue  # a label ("Ext:", "Acct:")
            before = text[max(0, s - 30) : s]
            person_cue = bool(_PERSON_CUE.search(before))
            if not _STRONG_PERSON_CUE.search(before) and self._term_context(text, s, e, tok):
                continue  # an eponym ("Charcot foot") or a brand drug ("Entresto 24/26 mg", "give Unasyn")
            start = bool(_SENTENCE_START.search(before))
            if caps:  # short capitals on an ALL-CAPS line are mostly abbreviations ("VSS", "CPAP")
                score = self.BASE_CAPS if len(tok) > 4 else self.BASE_CAPS_SHORT
            else:
                score = self.BASE_START if start else self.BASE_INSIDE
            if tok.lower() in self.names:
                score += self.NAME_BOOST
            place = bool(_PLACE_CUE.search(before)) or bool(_FACILITY_AFTER.match(text, e))
            if person_cue or place:
                score += self.CUE_BOOST
            if (i > 0 and _adjacent(text, cands[i - 1][1], s)) or (
                i + 1 < len(cands) and _adjacent(text, e, cands[i + 1][0])
            ):
                score += self.NEIGHBOUR_BOOST
            if score < self.THRESHOLD:
                continue
            ini = _INITIAL_BEFORE.search(text, max(0, s - 4), s)
            if ini and not place:
                s = ini.start()
            particle = _PARTICLE_BEFORE.search(text, max(0, s - 8), s)
            if particle:  # "Van Bravfaelt", "de la Zorvath", "St. Quix"
                s = particle.start()
            given = None if place or caps else _GIVEN_BEFORE.search(text, max(0, s - 20), s)
            if (
                given
                and given.group(1).lower() not in self.clinical
                and (given.group(1).lower() not in self.english or given.group(1).lower() in self.names)
                and _GIVEN_CUE.search(text, max(0, given.start(1) - 20), given.start(1))
            ):  # "spoke w/ Wand Zorvath": an ordinary word as given name between a cue and a surname
                s = given.start(1)
            elif given and self._role_given(given.group(1), text, given.start(1)):
                s = given.start(1)  # "Triage officer Promise Zorvath": an ordinary word after a role noun
            elif given and self._field_given(given.group(1), text, given.start(1)):
                s = given.start(1)  # "Injured: Pilot Zorvath": a field holding a name, the given name first
            elif given and self._shape_only_given(given.group(1), text, lower_index):
                s = given.start(1)  # "Ekaterine Panousis": a word no list knows, refused for its drug-like
                found.add(given.group(1).lower())  # shape ("-ine"), before a surname is the given name
            found.add(tok.lower())
            nxt = None if place else _NEXT_WORD.match(text, e)
            if nxt and self._shape_only_given(nxt.group(1), text, lower_index) and not self._term_context(
                text, nxt.start(1), nxt.end(1), nxt.group(1)
            ):  # "Hilal Kusipoma": a word refused only for its shape ("-oma") after a found given name
                found.add(nxt.group(1).lower())
                results.append(self._typed(nxt.start(1), nxt.end(1), min(score, 0.95), "NAME"))
            trail = None if place else _TRAIL_INITIAL.match(text, e) or LF_INITIAL.match(text, e)
            results.append(self._typed(s, trail.end() if trail else e, min(score, 0.95),
                                       "LOCATION" if place else "NAME"))
            head = None if place else _LF_HEAD.search(text, max(0, s - 30), s)
            if (
                head
                and head.group(1).lower() not in self.clinical
                and head.group(1).lower() not in _SUFFIX_WORDS
                and _LF_HEAD_CUE.search(text, max(0, head.start(1) - 30), head.start(1))
            ):  # "Flood, Izgu" heading a line or after a label: the surname is an ordinary word
                if head.group(1).lower() not in self.known:  # an ordinary word is not propagated
                    found.add(head.group(1).lower())
                results.append(self._typed(head.start(1), head.end(1), min(score, 0.95), "NAME"))
            tail = None if place else _LF_TAIL.match(text, e)
            if (
                tail
                and tail.group(1).lower() not in _SUFFIX_WORDS
                and tail.group(1).lower() not in _RECORD_LABELS
                and not _LABEL_AFTER.match(text, tail.end(1))
                and (
                    tail.group(1).lower() not in self.known
                    or tail.group(1).lower() in self.names
                    or tail.group(1).lower() not in self.clinical
                    and _LINE_END.match(text, tail.end(1))
                    and _LF_STRONG_CUE.search(text, max(0, s - 30), s)
                )
            ):  # ("attending Kakar, Sole" ending the line: an ordinary word as given name)
                # "ZORVATH, QUIR": the given name after "LAST," is short, so no candidate on its own
                found.add(tail.group(1).lower())
                results.append(self._typed(tail.start(1), tail.end(1), min(score, 0.95), "NAME"))
        results += self._shape_only_names(text, lower_index, found)
        chain_end = -10  # end of the last lower-case name: its neighbour "tasnim mcgeady" is one too
        for m in _LOWER_WORD.finditer(text):  # lower-case names: "d/w krain (sister)", "husband zorvath"
            low = m.group()
            if not low[0].islower() or low in self.known_lower:
                continue
            listed = low in self.names
            chained = 0 <= m.start() - chain_end <= 2 and text[chain_end : m.start()].strip(" \t") == ""
            if not listed and (
                _CLINICAL_SHAPE.search(low) or _ENGLISH_SHAPE.match(low) or self._typo(low)
            ):
                continue
            # "pt aura wangari": the given name is an ordinary word, the surname is not
            prev = None if chained else _PREV_LOWER.search(text, max(0, m.start() - 40), m.start())
            prev_cued = bool(
                prev
                and prev.group(1) not in self.clinical
                and _LOWER_CUE.search(text, max(0, prev.start(1) - 25), prev.start(1))
            )
            subject = (
                (listed or len(low) >= 4 and low not in self.known)
                and _SUBJECT_VERB_AFTER.match(text, m.end()) is not None
                and _CLAUSE_HEAD.search(text, max(0, m.start() - 3), m.start()) is not None
            )
            if (
                chained
                or prev_cued
                or subject
                or _LOWER_CUE.search(text, max(0, m.start() - 25), m.start())
                or _RELATION_AFTER.match(text, m.end())
            ):
                found.add(low)
                chain_end = m.end()
                results.append(self._typed(m.start(), m.end(), 0.75, "NAME"))
                if prev_cued:
                    results.append(self._typed(prev.start(1), prev.end(1), 0.75, "NAME"))
        if found:  # other mentions of a scrubbed word, any capitalisation
            seen = {r.start for r in results}
            for m in re.finditer(r"(?<![\w'-])[^\W\d_][\w'-]*[^\W\d_](?![\w'-])", text):
                word, end = m.group().lower(), m.end()
                if word.endswith("'s") and word[:-2] in found:  # "Jun's mother": a found name's possessive
                    word, end = word[:-2], end - 2
                if word in found and m.start() not in seen:
                    results.append(self._typed(m.start(), end, 0.8, "NAME"))
            if "(" in text:
                results += self._bracket_initials(text, found)
        return results

    def _bracket_initials(self, text: str, found: set[str]) -> list:
        """"NURSE QUIR ZORVATH (QZ)": capitals in brackets spelling the initials of the scrubbed words right
        before them are the person's initials, even when they also spell a unit or test ("CT", "RN")."""
        out = []
        for m in _BRACKET_INI.finditer(text):
            ini = m.group(1)
            words = _WORD_RUN_BEFORE.search(text, max(0, m.start() - 60), m.start())
            if not words:
                continue
            toks = words.group().split()[-len(ini) :]
            if len(toks) == len(ini) and all(t.lower() in found for t in toks) and "".join(
                t[0].upper() for t in toks
            ) == ini:
                out.append(self._typed(m.start(1), m.end(1), 0.8, "NAME"))
        return out

    def _term_context(self, text: str, s: int, e: int, tok: str) -> bool:
        """The word names a disease/sign (eponym) or a drug here, whatever lists say about it."""
        if _EPONYM_AFTER.match(text, e) or _DOSE_AFTER.match(text, e) or _DOSE_NUMBER.match(text, e):
            return True
        if _LAB_VALUE.match(text, e) or _SCORE_AFTER.match(text, e) or TERM_HEAD_AFTER.match(text, e):
            return True
        if tok.lower() in _SCALES and _SCALE_NUMBER.match(text, e):
            return True
        if _NUMBER_AFTER.match(text, e) and _MEASURE_BEFORE.search(text, max(0, s - 12), s):
            return True
        nxt = _CLINICAL_NEXT.match(text, e)  # "Takotsubo cardiomyopathy", "Hashimoto thyroiditis"
        if nxt and nxt.group(1).lower() in self.known and _DISEASE_SHAPE.search(nxt.group(1).lower()):
            return True
        paren = _GENERIC_IN_PARENS.match(text, e)  # "Aricept (donepezil)"
        if paren and _generic_shape(paren.group(1).split()[0]):
            return True
        before = _PAREN_AFTER_GENERIC.search(text, max(0, s - 40), s)  # "acarbose (Precose)"
        if before and _generic_shape(before.group(1).lower()):
            return True
        if tok.lower() in self.names:
            return False  # a listed name after "on"/"started" is still a name
        if _DRUG_VERB_AFTER.match(text, e) or _DRUG_BEFORE_DET.search(text, max(0, s - 20), s):
            return True
        # "started Entresto.", "on Sinemet, Lasix": the drug closes the clause ("given Tomas his" does not)
        return bool(_DRUG_BEFORE.search(text, max(0, s - 30), s) and _CLAUSE_END.match(text, e))

    def _compound(self, low: str) -> bool:
        """A word-forming prefix and a known word written as one ("biopatch", "microclave"): a product name.

        Two ordinary words are not enough: place and family names are built so ("Fairmore", "Heartland").
        """
        if len(low) < 7:
            return False
        eng = self.compound_parts
        return any(low[:i] in _COMPOUND_PREFIXES and low[i:] in eng for i in range(3, min(7, len(low) - 2)))

    def _typo(self, low: str) -> bool:
        """A swap of two adjacent letters away from a known word ("fxaed", "walelt"): a typo, not a name."""
        if len(low) < 5:
            return False
        known = self.known
        for i in range(len(low) - 1):
            if low[i] != low[i + 1] and low[:i] + low[i + 1] + low[i] + low[i + 2 :] in known:
                return True
        return False

    def _role_given(self, word: str, text: str, start: int) -> bool:
        """An ordinary word between a person's role noun and a found surname is the given name ("case
        manager Ocean Zorvath"), unless a role, clinical or record word ("Nurse Practitioner Zorvath")."""
        low = word.lower()
        if low in self.clinical or low in self.medical or low in _RECORD_LABELS or _ROLE_TITLE.match(low):
            return False
        return _ROLE_NOUN_BEFORE.search(text, max(0, start - 24), start) is not None

    def _field_given(self, word: str, text: str, start: int) -> bool:
        """An ordinary (not clinical, not common) word opening a labelled field before a found surname."""
        low = word.lower()
        if low in self.clinical or low in self.medical or low in _GEO_AND_DISCOURSE or low in _RECORD_LABELS:
            return False
        if _CLINICAL_SHAPE.search(low) or _ENGLISH_SHAPE.match(low):
            return False  # "Reported: Acute ...", "Caller: Worried ..."
        return _FIELD_LABEL_BEFORE.search(text, max(0, start - 24), start) is not None

    def _shape_only_names(self, text: str, index: dict[str, list[int]], found: set[str]) -> list:
        """A word no list knows, refused only for its drug-like shape, as the subject of a speech verb
        ("Tehmine said") or before a middle/surname initial ("Lusine B."): a person's given name; after an
        initial ("N. Quarvine"): a surname; owning a relative ("Toros's parent"): a person."""
        out = []
        for m in _SHAPE_NAME_CUE.finditer(text):
            if self._shape_only_given(m.group(1), text, index):
                found.add(m.group(1).lower())
                out.append(self._typed(m.start(1), m.end(), 0.75, "NAME"))
        if "'s " in text:  # "Toros's parent": a word no list knows, refused only for its shape or as a typo
            for m in _POSSESSIVE_KIN.finditer(text):  # ("torso"), owning a relative is a person
                w = _OWNER_BEFORE.search(text, max(0, m.start() - 30), m.start())
                if w and w.group().lower() not in self.known:
                    found.add(w.group().lower())
                    out.append(self._typed(w.start(), w.end(), 0.75, "NAME"))
        for m in _INITIAL_SURNAME.finditer(text):  # "N. Quarvine": a surname refused for its drug-like shape
            if m.start() < 1 or not _LONE_CAPITAL.match(text, m.start() - 1):
                continue
            if _DOSE_AFTER.match(text, m.end()):
                continue
            if self._shape_only_given(m.group(1), text, index):
                found.add(m.group(1).lower())
                out.append(self._typed(m.start() - 1, m.end(), 0.75, "NAME"))
        return out

    def _shape_only_given(self, word: str, text: str, index: dict[str, list[int]]) -> bool:
        """No list knows the word and the note never writes it in lower case: only its shape kept it."""
        low = word.lower()
        if low in self.known or low in self.clinical:
            return False
        if not _CLINICAL_SHAPE.search(low) or _ENGLISH_SHAPE.match(low):
            return False  # "Cautionary Tales", "Snake Boogie": other refusals stand
        return not self._written_lower(low, text, index)

    @staticmethod
    def _written_lower(low: str, text: str, index: dict[str, list[int]]) -> bool:
        """The note also writes the word in lower case, other than after a person cue ("wife mary")."""
        # `index`: lower-case words of the note -> starts, outside e-mail addresses and URLs
        # ("tryr.seinsus@x.org" is no evidence that "Seinsus" is a term); built once per note
        for start in index.get(low, ()):
            if not _PERSON_CUE.search(text[max(0, start - 20) : start]):
                return True
        return False

    def _typed(self, s: int, e: int, score: float, entity: str):
        r = self._result(s, e, score, "unknown_word")
        r.entity_type = entity
        return r


_NOT_GENERIC = re.compile(r"(?i)(?:mate|associate|advocate|delegate|candidate|graduate|surrogate|designate)$")
_GENERIC_END = re.compile(r"(?i)(?:il|ol|ose|ide|one|ine|in)$")


def _generic_shape(word: str) -> bool:
    """A generic drug name by its shape ("donepezil", "memantine", "acarbose"), not a kin/role word."""
    low = word.lower()
    if low in _KIN or _NOT_GENERIC.search(low):
        return False
    return bool(_CLINICAL_SHAPE.search(low) or (len(low) >= 6 and _GENERIC_END.search(low)))


def _adjacent(text: str, end: int, start: int) -> bool:
    return 0 <= start - end <= 2 and text[end:start] in (" ", "\t", ", ", ",", "  ")


def _caps_lines(text: str) -> list[bool] | None:
    """Per line: True when its letters are (nearly) all capitals and it has 3+ words; None if no such line."""
    out, any_caps = [], False
    for line in text.split("\n"):
        letters = [c for c in line if c.isalpha()]
        caps = (
            len(letters) >= 12
            and sum(c.isupper() for c in letters) >= 0.9 * len(letters)
            and len(line.split()) >= 3
        )
        any_caps |= caps
        out.append(caps)
    return out if any_caps else None

"""One table per recognizer: (text, the substrings it must report). An empty list means "nothing here is PHI".

Each recognizer is run alone, the way the analyzer runs it (analyze, then its own context enhancement, then
the registry threshold), so a table failure points at one class.
"""

import pytest

from medfl.privacy.deid.engine import _merge
from medfl.privacy.deid.recognizers import load_recognizers
from medfl.privacy.deid.recognizers.contact import (
    EmailRecognizer,
    IpAddressRecognizer,
    PhoneRecognizer,
    UrlRecognizer,
)
from medfl.privacy.deid.recognizers.dates import AgeRecognizer, DateRecognizer
from medfl.privacy.deid.recognizers.ids import (
    AccountNumberRecognizer,
    DeviceIdRecognizer,
    HealthPlanNumberRecognizer,
    LabelledValueRecognizer,
    LicenseRecognizer,
    MedicalRecordNumberRecognizer,
    SsnRecognizer,
    UniqueIdRecognizer,
    VehicleIdRecognizer,
    dea_ok,
    iban_ok,
    luhn_ok,
    npi_ok,
    ssn_ok,
    vin_ok,
)
from medfl.privacy.deid.recognizers.location import (
    CityRecognizer,
    FacilityRecognizer,
    StreetAddressRecognizer,
    ZipCodeRecognizer,
)
from medfl.privacy.deid.recognizers.names import NameRecognizer
from medfl.privacy.deid.recognizers.philter import UnknownWordRecognizer

THRESHOLD = 0.5
_CACHE = {}


def found(cls, text):
    rec = _CACHE.setdefault(cls, cls())
    res = rec.analyze(text, [rec.ENTITY])
    res = rec.enhance_using_context(text, res, [], None)
    spans = _merge(text, [(r.start, r.end, r.entity_type, r.score) for r in res if r.score >= THRESHOLD])
    return sorted({text[s:e] for s, e, _ in spans})  # overlapping hits merged as the engine does


def check(cls, text, expected):
    assert found(cls, text) == sorted(set(expected)), text


NAME_TABLE = [
    ("Mr. John Smith was seen today.", ["John Smith"]),
    ("Seen with Dr. Foley in clinic.", ["Foley"]),  # an eponym right after a title is a name
    ("Foley catheter placed, Murphy sign negative.", []),
    ("SMITH, JOHN (MRN 1234567) 72 y/o M", ["SMITH, JOHN"]),
    ("Patient: Roe, Jane   DOB: 01/02/1950", ["Roe, Jane"]),
    ("Electronically signed by Olga Petrov, MD", ["Olga Petrov"]),
    ("A. Fagerstrom, MD", ["A. Fagerstrom"]),
    ("Family (wife Gertraude Wilson) updated.", ["Gertraude Wilson"]),
    ("PT JOHNSON AMBULATED WITH WIFE MARY IN HALL.", ["JOHNSON", "MARY"]),
    ("BELONGINGS GIVEN TO MOTHER OLENA ROGERS.", ["OLENA ROGERS"]),
    ("70 Y/O MALE PAUL PRIETO ADMITTED FROM ED", ["PAUL PRIETO"]),
    ("Dictated by: JS/mk", ["JS/mk"]),
    ("Patient initials: J.D.", ["J.D."]),
    ("Mrs. Kowalczyk is better. Kowalczyk agrees with plan.", ["Kowalczyk"]),
    ("Pt with CHF, HTN and DM on Lasix 40 mg PO BID.", []),
    ("Hx of MS Presents with weakness.", []),
    ("Spoke with daughter Grace at bedside.", ["Grace"]),
    ("Mark the site. Grace period noted. Brown stool.", []),
    ("Have you been to a Julian Azevedo concert?", ["Julian Azevedo"]),  # one part listed, one no word
    ("seen by dr. kowalczyk and wife mary", ["kowalczyk", "mary"]),  # lower-cased after a cue
    ("pt john smith ambulating", ["john smith"]),
    ("Sister Mary\nSmith called", ["Mary\nSmith"]),
    # initials: after a person cue, before a credential, after a typist's slash; teams and tests are no names
    ("Order reviewed by TSQ. Reason: fever", ["TSQ"]),
    ("diagnosed by CT and seen by GI", []),
    ("staff nurse MLV reports baseline", ["MLV"]),
    ("Dr Brannock notified.\nJB RN", ["Brannock", "JB"]),
    ("Seen in ED.\nED RN", []),
    ("Signed.\n/jkl", ["jkl"]),
    ("Plan as above.\n\njks", ["jks"]),  # typist's initials alone on the last line
    ("Plan as above.\nok", []),
    # a credential without the comma, ending a line; ordinary words before it are no name
    ("Sincerely,\nBrel Quoffin MD", ["Brel Quoffin"]),
    ("SUZA LEONE RN", ["SUZA LEONE"]),
    ("Discussed with Cardiology Fellow MD", []),
    # header lines: a name before an id or "- dob"; a date is no id
    ("TRAVEK DOLMA   75-96-714   37 years old", ["TRAVEK DOLMA"]),
    ("Dictated 2017-10-22", []),
    ("Re: Ilvar Tesko - dob 06MAY1995", ["Ilvar Tesko"]),
    ("Reviewed by Basay A. Were. Report sent", ["Basay A. Were"]),  # after a middle initial: the surname
    ("Graves disease, NASH and GERD noted", []),  # eponym before a head noun; short capitals in mixed text
    # role words joined into one label; a tab ends the field; initials after a role or a credential
    ("ORDERING PROVIDER: Quenby T\nCLINICAL INDICATION: fall", ["Quenby T"]),
    ("Sonographer: WQ\tReferring: Dr. Tessaly", ["Tessaly", "WQ"]),
    ("sections submitted in cassettes A1-A3.  (JQ/PX)\n", ["JQ/PX"]),
    ("REPORT GIVEN TO ONCOMING RN. ZK\n", ["ZK"]),
    ("POST FALL HUDDLE DONE. CHARGE RN T. MEADOW\n", ["T. MEADOW"]),  # an ordinary word after an initial
    ("Anesthesia: general; Ulla Foley, RN", ["Ulla Foley"]),  # an eponym as the surname before a credential
    ("WILL F/U 3/2. TEVA HOLLY QUORVIN RN CWOCN  12345", ["TEVA HOLLY QUORVIN"]),  # chained credentials
    ("Critical result called to Zenna Q Varling by phone", ["Zenna Q Varling"]),
    ("SON HARDY TRELLMAN NOTIFIED AT 0300", ["HARDY TRELLMAN"]),  # ordinary given name; the verb stays
    ("PT: QUARNE,LIGHT\tRM 4", ["QUARNE,LIGHT"]),  # LAST,FIRST after a label and a colon
    ("Patient Message\nFrom: Ivra Tolland\tTo: Mose Ekdahl, MD", ["Ivra Tolland", "Mose Ekdahl"]),
    ("Jorvik Tamsen, MD, FACC", ["Jorvik Tamsen"]),  # a credential is no given name
    ("Dr. K Havelund saw her", ["K Havelund"]),
    ("RN: Skelda W.   Tech: qv\nNEXT", ["Skelda W.", "qv"]),  # a field gap ends a name; lower-case initials
    ("GIVEN TO NURSE BY QK\nARRIVED BY CAR\nSEEN BY GI\n", ["QK"]),  # "BY" + initials, not a word or service
    ("Referring: Vaskell Trom\nBerg Balance Scale 41/56", ["Vaskell Trom"]),  # a surname naming a scale
    # logins and file names: a part listed or no known word; hosts, code and missing spaces are kept
    ("Pharmacy: (logged in as tarv.quellmor)   done", ["tarv.quellmor"]),
    ("User ID: KQUELL2; username and password reset", ["KQUELL2"]),
    ("swelling.my leg; client_ip = 1; see www.x.org", []),
    ("Photos uploaded (quellmor_wound1.jpg) and IMG_2034.jpg", ["quellmor"]),
    # lower-case dotted initials; clinical ones kept unless after a person's role
    ("Interpreted by Dr. Roe. Tech: l.e.\nChaplain note (k.m.)", ["Roe", "l.e.", "k.m."]),
    ("Tylenol 650 mg p.o. b.i.d., i.e. twice a day at 9 a.m.", []),
    ("Tech: p.m.\n", ["p.m."]),
    # clergy titles and police ranks; "14 Fr. Foley" is a catheter size; an ordinary word in capitals stays
    ("ANOINTING ARRANGED WITH FR. FRIEND. Brought by Officer Real (badge 12)", ["FRIEND", "Real"]),
    ("placed 14 Fr. Foley; OFFICER PRESENT AT BEDSIDE", []),
    # a credential as a prefix; an initial and surname after a role noun
    ("ANESTHESIOLOGIST DR ROE, CRNA YEVA.", ["ROE", "YEVA"]),
    ("criteria not met, physician advisor S Quick consulted", ["S Quick"]),
    ("aide A PRN; nurse to call", []),
    # header "LAST, FIRST" with an ordinary given name at a field end; a patient label vouches for capitals
    ("PT QUARVEV, CHANCE   MRN 1234567   45M", ["QUARVEV, CHANCE"]),
    ("PT QUARVEV, ALERT AND ORIENTED", []),  # no field end: ALERT is no given name
    ("PATIENT PRIMROSE QUARVEV  MRN 12345678  ICU BED 9", ["PRIMROSE QUARVEV"]),
    # an allow-listed given name between a kin word and an unknown surname; its possessive propagated
    ("MET WITH HIS WIFE RUE QUARVEV AND RUE'S CHILDREN. RUE EDEMA.", ["RUE QUARVEV", "RUE"]),
    ("Ms. Jun Tanaka here. Genetics: Jun's mother; seen Jun 21", ["Jun Tanaka", "Jun"]),
    # a month before a surname and a credential is the given name; a second credential is no initials
    ("Jun Guzenko, RN, CCM\nApril Stone MD", ["Jun Guzenko", "April Stone"]),
    ("seen 21 Jun; Guzenko, RN", ["Guzenko"]),
    # a handle after "@" (not an e-mail, not an ordinary word); dotted initials without the last dot
    ("thanks @kmori; mail j.roe@x.org; fall @risk", ["kmori"]),
    ("Tech: l.e\nTylenol p.o b.i.d, i.e twice", ["l.e"]),
    # a header surname with an initial before an id; "|" separates columns before the id
    ("Quellmor, R.  (E1234567)   G3P2\nPlan, A.  (1234567)", ["Quellmor, R."]),
    ("Takahashi, Jun  |  650744557  |  Age 51", ["Takahashi, Jun"]),
    # a lower-case double given name; hyphenated words are kept
    ("home, anne-catherine is feeding my cat; follow-up x-ray, in-person, non-smoker", ["anne-catherine"]),
    # "by" and a credential, then one word closing the clause: an ordinary word there is the person's name
    ("FOUND NEXT TO BED BY CNA HUNG. ASSISTED BY CNA TODAY. GIVEN BY RN STAT. SEEN BY NP QUICKLY.", ["HUNG"]),
    # a cell of a table row whose other cells are PHI (id, age, date): name-like words in any case
    ("date may 12    quarvev tolmira    18-7226861    (age 93)", ["quarvev tolmira"]),
    ("Seen    Quarvev Tolmira    H7971657    (age 37)", ["Quarvev Tolmira"]),
    ("Glucose    vancomycin trough    18.2    may 12", []),
    ("Hospital   Neurodiagnostic Laboratory   Study E19-49518", []),
    ("dose    pending review    12-4455667", []),
    # the name-like words before ", 75/F" / ", 45 y"
    ("calling about quarvev tolmira, 75/F", ["quarvev tolmira"]),
    ("The patient, 75/F, has cough. Vitals, 45 y stable.", []),
    # initials in brackets after a credential or a found name; a unit/role there only when the letters match
    ("Pathologist: Tolmira Quarvev, MD (TRQ)   cc: file", ["TRQ", "Tolmira Quarvev"]),
    ("PETRA ALQUARVEV RN (PA) / NEONATOLOGY", ["PA"]),
    ("Seen in ER RN (PA) bay", []),
    ("Seen by ICU RN (ICU) and MD (PCP) today.", []),
    ("Seen by Jane Roe (JR) today.", ["JR", "Jane Roe"]),
    # file names of signal/image formats, user ids after an e-signature label
    ("File: QUARVT_19jan21.edf (workstation)", ["QUARVT"]),
    ("Provider e-signature: QUARVT 2018-10-04 1:45 PM", ["QUARVT"]),
    # two dotted initials vouch for an ordinary-word surname; not a dotted credential ("M.D. Pager")
    ("Technologist: K. K. Nail, R. EEG T.", ["K. K. Nail, R."]),
    ("Rex Roe, M.D. Pager 9-0338", ["Rex Roe"]),
    # a given name and a surname initial before a bracketed role or after a role noun
    ("also present Echo P. (SW) and others", ["Echo P."]),
    ("Diabetes educator Ilia P. to call back", ["Ilia P."]),
    ("Vitamin D. (oral) given. Hepatitis B. (HBV) and Vitamin D. (PO)", []),
    # a rank abbreviation without its dot vouches for an ordinary word; a newborn's name after "INFANT"
    ("ESCORT SGT MUSTARD.", ["MUSTARD"]),
    ("INFANT KRSTE SAFARYAN, DOB 9/24", ["KRSTE SAFARYAN"]),
    ("INFANT WARMER ON, BABY FORMULA", []),
    # a surname in capitals before a capitalised given name, neither known; not an acronym before a word
    ("2 officers at bedside (QUARVEVADZE Tolmir, badge on file)", ["QUARVEVADZE Tolmir"]),
    ("HFREF Exacerbation; FOLFOX Regimen; MRSA Positive; LEFT Knee", []),
    # a lower-case row cell "surname given" whose given name is also a clinical word
    ("date december 9    quarvev echo    944 551 230    (age 71)", ["quarvev echo"]),
    ("tte    echo normal    12-4455667", []),
    # dictator's and typist's initials after a name on a dictation line; abbreviations elsewhere are kept
    ("Dict: Quorvan SV/SB   job 7731", ["Quorvan SV/SB"]),
    ("Dictated by Telvo KS/AP", ["Telvo KS/AP"]),
    ("Hx CHF/COPD; IV NS/LR given", []),
    ("Dict: IV NS/LR", []),
    ("lost his job; on NS/LR", []),
    # judges and other honorifics before an initial and a surname, any case
    ("Docket MH-20-49338      Hon. S. QUARVE, presiding", ["S. QUARVE"]),
    ("Judge T. Velloran ruled", ["T. Velloran"]),
    ("poor insight and judgment; honest about use", []),
    # an ALL-CAPS possessive no list knows; ordinary, clinical and eponym possessives are kept
    ("MEDS FILLED BY SON; QUORVA'S CANE TOO SHORT.", ["QUORVA"]),
    ("PATIENT'S CANE; WIFE'S CAR; PARKINSON'S DISEASE; ICU'S POLICY", []),
    ("HX LUDWIG'S ANGINA; MENIERE'S DISEASE", []),
    # "SURNAME/GIVEN" before a patient field
    ("QUARVE/TELLINA   MRN 17-47-19-7   AGE 19Y", ["QUARVE/TELLINA"]),
    ("CHF/COPD   AGE 71", []),
    # an initial glued to a found surname; glued organism names are kept
    ("Dr. Osterhagen reviewed; copy to K.Osterhagen today.", ["K.Osterhagen", "Osterhagen"]),
    ("E.Coli and S.Aureus grew; C.Diff negative.", []),
    # a table column headed by a person's role holds initials or names; other columns are kept
    ("DATE | DRUG | NURSE | NOTE\nJUN 2 | HEPARIN 5000 UNITS | QX | TOLERATED\n"
     "JUN 3 | HEPARIN 5000 UNITS | T.V. | OK\n", ["QX", "T.V."]),
    ("DATE | DRUG | ROUTE | NOTE\nJUN 2 | HEPARIN 5000 UNITS | SQ | NO ISSUES\n", []),
    ("RX | PATIENT | MRN\nCPD0101 | QUARNEVO, TELLI | 4471020\n", ["QUARNEVO, TELLI"]),
    # a lower-case word repeated in a bracketed name; drugs and labels in brackets are no name
    ("wenzeslaus (Wenzeslaus Droit), 44 y/o, here for refill", ["Wenzeslaus Droit", "wenzeslaus"]),
    ("aspirin (Aspirin Low Dose) daily; pt (Patient Portal) msg", []),
    # initials after "scribe" even when they spell a service; a role word heading "<name>, MD" is kept
    ("Physician Tomasz Wirt, MD; scribe RT\n", ["RT", "Tomasz Wirt"]),
    ("Signature T. Velloran, MD   date 02/21/14", ["T. Velloran"]),
    # one word in brackets after a found name is the given name, unless a language or a record state
    ("RESIDENT QUELLBERG (TAMSIN)   ROOM 4", ["QUELLBERG", "TAMSIN"]),
    ("Roe, Jane (deceased); Dr. Quellberg (Spanish) interpreter", ["Jane", "Quellberg"]),
    # dotted initials spelling a found name, in brackets or after a slash; a time in brackets is kept
    ("STAFF NURSE TAMSIN QUELLBERG (T.Q.); MD AWARE.", ["T.Q.", "TAMSIN QUELLBERG"]),
    ("Read by Tamsin Quellberg, MD / T.Q.; results to PCP", ["T.Q.", "Tamsin Quellberg"]),
    ("Dr. Quellberg at 9 a.m. (A.M.) today", ["Quellberg"]),
    # a word found only in a file name is not propagated to an acronym in mixed-case prose
    ("NUCLEAR -- SPECT imaging today.\nRaw data spect_vollmer_2201.zip", ["spect_vollmer"]),
    # a credential as the cue of an initial and a surname
    ("NEXT DOSE 6/2. MD K. QUIRRELL. NURSE ON CALL\n", ["K. QUIRRELL"]),
]


DATE_TABLE = [
    ("Admitted 7/22 for CP.", ["7/22"]),
    ("Seen on Mar 3 and again March 14th, 2021.", ["Mar 3", "March 14th, 2021"]),
    ("Surgery 3-Mar-2021, CT 2021-03-03, labs 03/14/21.", ["3-Mar-2021", "2021-03-03", "03/14/21"]),
    ("Follow up on the 14th.", ["14th"]),
    ("Symptoms since March 2019.", ["March 2019"]),
    ("Motor strength 5/5 throughout, pain 7/10, took 1/2 tab.", []),
    ("Diagnosed in 2019; fracture of the 4th rib.", []),
    ("Patient may 5 times a day", []),
    ("DOB: 03141950", ["03141950"]),
    ("CT 14MAR2021, MRI 3-mar-21, echo MAR142021", ["14MAR2021", "3-mar-21", "MAR142021"]),  # compact
    ("seen 14.03.2021 and on the 3rd", ["14.03.2021", "3rd"]),
    ("back March '21; Tuesday the 14th; CXR 3/5 @ 1400", ["March '21", "Tuesday the 14th", "3/5"]),
    ("NURSING NOTE 1/6 NOC; Sign-out 5/6; note 1/10 1330", ["1/6", "5/6", "1/10"]),  # header / time / shift
    ("murmur 2/6; GCS 3/15 at 1400; strength 5/5 at 0800; 4/5 strength in 1/2 days", []),
    ("last seen mid-April 2019", ["mid-April 2019"]),
    # month/year in either order, glued to letters or times, range ends, upper-case ordinals
    ("on warfarin since 04/2014; s/p CABG 2/2019; since 2019-04; ratio 1:2000",
     ["04/2014", "2/2019", "2019-04"]),
    ("seen on01/02/2020at 1400; 2021-03-04T08:00; code A1/2/34", ["01/02/2020", "2021-03-04T08:00"]),
    ("03/14/2021-03/20/2021; admitted 3/14-3/20; MARCH 14TH", ["03/14/2021", "03/20/2021", "3/14", "3/20",
                                                               "MARCH 14TH"]),
    ("COPIED FROM NOTE OF 1/28; PICC placed 1/10; adm 2/5 w/ CHF; pain 7/10 of 10", ["1/28", "1/10", "2/5"]),
    # an event word makes a fraction-looking month/day a date; dashed month-day after an event word
    ("Hep B vaccine 6/10; collected 3/6, next tx 1/3; filled 1/4.", ["6/10", "3/6", "1/3", "1/4"]),
    ("comfort care since 1-14.\nscreen sent 12-5; on 2-3 L; since 3-4 weeks; 1-2 tabs", ["1-14", "12-5"]),
    ("APGARS 8/9. Apgar 7/9 at 5 min; x 1/2 dose; given 1/2 amp", []),
    ("seen 1/19/'21; d/c'd 01/05; | 03/04 | 7.2 |", ["1/19/'21", "01/05", "03/04"]),  # 'yy year, zero pad
    ("on 03.Jan.2021; 3/JAN/21; 2021/Jan/03", ["03.Jan.2021", "3/JAN/21", "2021/Jan/03"]),
    ("Lines: R IJ CVC (2 Jan), A-line L radial (1/2), Foley", ["2 Jan", "1/2"]),  # a line's placement date
    ("Foley; took (1/2) tab", []),
]

AGE_TABLE = [
    ("92 yo male with CHF", ["92"]),
    ("a 101-year-old woman", ["101"]),
    ("Age: 95", ["95"]),
    ("She is ninety-two years old.", ["ninety-two"]),
    ("in her 90s, lives alone", ["90s"]),
    ("67 yo male, SBP 90s, HR 95", []),
    ("93 y-o female", ["93"]),
    ("Zorvath is 93. She turned 101 today.", ["93", "101"]),  # a bare age after a person and a copula
    ("O2 sat is 94. HR was 96, pt is 45.", []),  # vitals
    ("MYLLYMAKI, TATU (99) BED 12; He is a (103) with", ["99", "103"]),  # bracketed after a name
    ("glucose (104), HR (96), SpO2 (94%), weight (110 kg)", []),
    ("92yoF, 93 y.o male, 94 YOM, 95 y/o/f, 96 years, at the age of 98, F/97, 91/M", [
        "92", "93", "94", "95", "96", "98", "97", "91"]),
    ("her 100th birthday; a nonagenarian", ["100"]),
]

PHONE_TABLE = [
    ("Call (617) 555-1234 or 617.555.9876", ["(617) 555-1234", "617.555.9876"]),
    ("fax: 508-555-0100 ext. 22", ["508-555-0100 ext. 22"]),
    ("Poison Control (1-800-222-1222) consulted; her cell 1-617-555-1234", ["1-617-555-1234"]),
    ("pager 4-5678", ["4-5678"]),
    ("phone 6175551234", ["6175551234"]),
    ("reached at 617 5551234", ["617 5551234"]),
    ("BP 120/80, K 4.1, 2021-03-03", []),
    ("Mobile: 0688 843 79 56, desk +41 (0)38 549 02 90", ["0688 843 79 56", "+41 (0)38 549 02 90"]),
    ("cb 617/555-1234 x204, pgr 4417, page 22817", ["617/555-1234 x204", "4417", "22817"]),
    ("call 1-617-555-1234 or +44 20 7946 0958", ["1-617-555-1234", "+44 20 7946 0958"]),
    ("call Robertas (7-2725) w/ questions; page Dr. K. Roe at x4-1234", ["7-2725", "4-1234"]),  # in-house
    ("pgr 4-1234, p12345, x4321, ext. 22, beeper 41234", ["4-1234", "12345", "4321", "22", "41234"]),
    ("CALL AT 614-613-3203 X6982 IF ANY CHANGE; wife 224 950 8947 (c)", ["614-613-3203 X6982",
                                                                          "224 950 8947 (c)"]),
    ("home 617-\n555-0199; cell: +91 98765 43210; +447700 208 815-Fax", ["617-\n555-0199", "+91 98765 43210",
                                                                           "+447700 208 815"]),
    ("082 490 1693-Office,3660170548-Fax; not answering at 78 651 450", ["082 490 1693", "3660170548",
                                                                          "78 651 450"]),
    ("HOME PHONE 555-1234; daughter 555 1234", ["555-1234", "555 1234"]),
    ("NS 2 x 1000 mL; 1-1500 ranges; x400 magnification, p 0.05, P450; called in 2020; call 911", []),
    ("vitals 98 120 80 72 18; WBC 4500-11000; NDC 0002-8215-01; call: given 0800 1400 2000", []),
    ("phone:\n0393 1144137; Office\\,07700 063 966-Fax; (617)-555-1234; 617\u2013555\u20131234", [
        "0393 1144137", "07700 063 966", "(617)-555-1234", "617\u2013555\u20131234"]),
    ("call dr roe (7-2725); pager 1430; paged MD at 0300; called on 2021; page at 1430", ["7-2725", "1430"]),
    # ten digits in any grouping; a signature's pager; vanity numbers (a dose is none)
    ("617 555 12 34; 617.55.51.234; BP 120 80 72 18 98", ["617 555 12 34", "617.55.51.234"]),
    ("JANE ROE RN CWOCN  23661\nK. Roe, MD  1545\nSmith PA-C x4-1234", ["23661", "4-1234"]),
    ("CALL 1-800-FLOWERS or (617) 555-HELP; take 250 MG-TABLET", ["1-800-FLOWERS", "(617) 555-HELP"]),
]

EMAIL_TABLE = [
    ("mail jane.roe+x@mail.example.org today", ["jane.roe+x@mail.example.org"]),
    ("no email on file", []),
    ("jdoe at gmail dot com, j.doe[at]mail[dot]org, stux.o'grys@x.org", [
        "jdoe at gmail dot com", "j.doe[at]mail[dot]org", "stux.o'grys@x.org"]),
    ("Images available at www.x.org/portal; seen at clinic.", []),
]

URL_TABLE = [
    ("see https://portal.example.com/pt?id=3.", ["https://portal.example.com/pt?id=3"]),
    ("www.myhealth.org/jroe and mychart.com", ["www.myhealth.org/jroe", "mychart.com"]),
    ("Na 140. K 3.9. Cr 1.2", []),
]

IP_TABLE = [
    ("logged in from 10.0.12.7 and 2001:db8::1", ["10.0.12.7", "2001:db8::1"]),
    ("version 1.2.3.999 and 300.1.1.1", []),
    ("viewer 128.16.99.181:443 / net 10.2.0.0/16", ["128.16.99.181:443", "10.2.0.0/16"]),
]

SSN_TABLE = [
    ("SSN 123-45-6789", ["123-45-6789"]),
    ("ss# 900-12-3456", ["900-12-3456"]),  # a label decides, even for an area SSA never issues
    ("value 123-45-6789 noted", ["123-45-6789"]),  # valid area/group/serial
    ("value 000-12-3456 and 666-12-3456", []),
    ("SSN: xxx-xx-1234; ***-**-6789; SSN last 4: 5678; 123.45.6789", ["xxx-xx-1234", "***-**-6789", "5678",
                                                                      "123.45.6789"]),
    # any grouping after any SSN label; "last 4 of SSN", "ending in", a masked run
    ("Social: 123 45 6789; soc sec # 123456789; SSN 123/45/6789",
     ["123 45 6789", "123456789", "123/45/6789"]),
    ("Last 4 of SSN (0465) verified; last four digits of her social security number is 1234",
     ["0465", "1234"]),
    ("SSN ending in 9876; ssn ends w/ 4321; SSN: XXXXX6789; last 4 SSN 5555", ["9876", "4321", "XXXXX6789",
                                                                               "5555"]),
]

MRN_TABLE = [
    ("MRN: 00123456", ["00123456"]),
    ("unit no. R1970403", ["R1970403"]),
    ("chart no. 0012 3456; EMPI 4471223", ["0012 3456", "4471223"]),  # labelled digit groups
    ("heparin 5000 units, WBC 12.5, plt 250", []),
    ("PT DOE MRN 99055507 UNIT 6W BED A", ["99055507"]),  # a ward label after the number is no dose unit
]

ACCOUNT_TABLE = [
    ("Acct # 7911-46109", ["7911-46109"]),
    ("CSN: 1002345678, FIN 88412, Encounter # E12345", ["1002345678", "88412", "E12345"]),
    ("card 4111 1111 1111 1111", ["4111 1111 1111 1111"]),  # Luhn
    ("My IBAN is GB82WEST12345698765432", ["GB82WEST12345698765432"]),  # mod-97 checksum
    ("visit Go4Life; visit 2021; account of events", []),  # a word with a digit, a year, no value
    ("HOSPICE RN VISIT NOTE 10-6-2019", []),  # a dated header, not a visit number (the date is a DATE)
]

HEALTH_PLAN_TABLE = [
    ("member ID: XK88123", ["XK88123"]),
    ("Member ID: XJH 123456789 group 0045821; Grp # 4500", ["XJH 123456789", "0045821", "4500"]),
    ("Insurance 7QA3J50UG25; new 4KH8RQ6VA68 (Medicaid)", ["7QA3J50UG25", "4KH8RQ6VA68"]),  # MBI shapes
    ("prior auth # PA-778812", ["PA-778812"]),
    ("Medicare A and B; plan of care", []),
    # a value after a payer or plan word, spaced letter-digit groups (MBI), an insurance card
    ("Insurance: 1AW8 NC2 TU57 (Medicare A/B), supplement plan CJJ 61734786", ["1AW8 NC2 TU57",
                                                                               "CJJ 61734786"]),
    ("Primary ins: Medicare 1FT5 QU8 QV30; Ins: 90676581041\n\nCC: fever", ["1FT5 QU8 QV30", "90676581041"]),
    ("Aetna W123456789; BCBS XYZ123456789; Humana H1234-5678; Medi-Cal 91234567A", [
        "W123456789", "XYZ123456789", "H1234-5678", "91234567A"]),
    ("my new insurance card number is BGL 99008357; UnitedHealthcare 912345678-01", ["BGL 99008357",
                                                                                     "912345678-01"]),
    ("Primary: Medicare 2E19MQ4YA64   Secondary: WVF 09150347\n", ["2E19MQ4YA64", "WVF 09150347"]),
]

UNIQUE_ID_TABLE = [
    ("ref 9395743 on file", ["9395743"]),
    ("B12 and HbA1c and CD4 normal", []),
    ("code GB82WEST12345698765433", ["GB82WEST12345698765433"]),  # no checksum, still a long mixed code
    ("her # is 12-34-567, ref AB1234567, 123 456 789.", ["12-34-567", "AB1234567", "123 456 789"]),
    ("id 034-X4567 and 1234567A noted; ab12345c", ["034-X4567", "1234567A", "ab12345c"]),
    ("rs1234567 variant; 1000-1500 ml; 120 80 16", []),  # a SNP id, a volume range, vitals
    ("Ref# 12 34 56 78", ["12 34 56 78"]),  # evenly grouped
    ("vitals 98 120 80 72 18", []),  # an uneven row of numbers is not an id
    ("Order #    CT-70-776288; S21-456", ["CT-70-776288", "S21-456"]),
    ("pT2N1M0; G3P2012; JAK2V617F; SLC30A10; FAM126A; 100000IU; case COVID-19", []),
    ("Plt 250000; viral load 1200000 copies; SNOMED 44054006; Order 1000 mL NS", []),
    ("Na 140 (135-145); meds at 0800 1400 2000; (#123456)", ["123456"]),
    ("Job #: 6784938   Doc #: 1087507\ncc: K. Collis, MD", ["6784938", "1087507"]),  # "cc" on the next line
    ("Brought in by Officer Real (badge 769); Shield #4412; employee ID 88231", ["769", "4412", "88231"]),
    ("Poison Control (1-800-222-1222) consulted", []),  # a nationwide public number identifies nobody
    ("wristband 55123; Officer Real #441; Deputy #77; neutrophil bands 12%", ["55123", "441", "77"]),
]

LICENSE_TABLE = [
    ("DEA AB1234563", ["AB1234563"]),
    ("prescriber AB1234563", ["AB1234563"]),  # DEA check digit passes without a label
    ("NPI 1234567893", ["1234567893"]),
    ("License #: MA-12345", ["MA-12345"]),
    ("code AB1234560", []),  # DEA-shaped, wrong check digit, no label
    ("DEATH 2021 noted", []),  # "dea" inside a word is no label
]

DEVICE_TABLE = [
    ("Pacemaker serial: PJN123456R", ["PJN123456R"]),
    ("S/N 88-2219-A", ["88-2219-A"]),
    ("pump set to 5 mL/hr", []),
    ("CONCENTRATOR SN (01)21866856993910(21)B7280", ["(01)21866856993910(21)B7280"]),  # GS1 UDI
    ("HIBC +H123PROD1234/$$3240101LOT123Q; Lot # 2201A33; serial RLA 123456 S", [
        "+H123PROD1234/$$3240101LOT123Q", "2201A33", "RLA 123456 S"]),
    ("see (1) and (2); ref range 3.5-5.0", []),
]

VEHICLE_TABLE = [
    ("VIN 1HGCM82633A004352", ["1HGCM82633A004352"]),
    ("car 1HGCM82633A004352 towed", ["1HGCM82633A004352"]),
    ("license plate: 7ABC123", ["7ABC123"]),
]

STREET_TABLE = [
    ("Lives at 123 Main Street, Apt 4B.", ["123 Main Street, Apt 4B"]),
    ("ADDRESS 45 N OAK AVE", ["45 N OAK AVE"]),
    ("PO Box 1234", ["PO Box 1234"]),
    ("LIVES AT 2042 QUARVO BND, WHEATLAND", ["2042 QUARVO BND"]),  # USPS abbreviation "Bnd"
    ("bend knee 20 degrees", []),
    ("Had 3 episodes of Falls this year.", []),
    ("lives at 123 main st with wife", ["123 main st"]),
    ("give 2 tabs po then 40 mg iv rd", []),
    ("lives 8117 Quarrow rd #33 Annapolis", ["8117 Quarrow rd #33"]),  # lower-case suffix, unit
    ("GOING HOME TO 6162 BELMAR ST BLDG B, CINCINNATI", ["6162 BELMAR ST BLDG B"]),
    ("312 Thomas Court Unit 27, Lubbock", ["312 Thomas Court Unit 27"]),
    ("HALDOL 0.5 MG VIA PEG QID, 4 MG SQ daily", []),  # dose + route, not a street
    ("lives at 4521 County Road 12; RR 2 Box 15", ["4521 County Road 12", "RR 2 Box 15"]),
    ("RR 18 HR 80 BP 120/80", []),  # respiratory rate, not a rural route
    # Mc/Mac names, hyphenated capitals, four street words, USPS suffixes ("Bend")
    ("Pickup: 52 McFarrow ST Trlr 10, Elk", ["52 McFarrow ST Trlr 10"]),
    ("4249 Martin Luther King Jr Pl Apt B, Enid", ["4249 Martin Luther King Jr Pl Apt B"]),
    ("ADDRESS: 1535 QUILL-ROSS STREET STE 11, LYNCHBURG", ["1535 QUILL-ROSS STREET STE 11"]),
    ("mailed to 58 Tennet Bend Ste 18, Elmira", ["58 Tennet Bend Ste 18"]),
    # a unit without a street type; USPS abbreviations ("Cres"); doses and care units are no address
    ("lives alone at 4779 Quarvev Apt D, Enid", ["4779 Quarvev Apt D"]),
    ("3742 MAEDA CRES. UNIT #4", ["3742 MAEDA CRES. UNIT #4"]),
    ("gave 2 Units PRBC Unit 3; Bed 12 ICU Unit 4", []),
    # USPS "Cv" (Cove) unless ordinary words make it an acronym; "Spc" (space) units
    ("lives at 412 Tolvane Cv, Yuma", ["412 Tolvane Cv"]),
    ("home 88 Quarn Blvd. Spc 14, Yuma", ["88 Quarn Blvd. Spc 14"]),
    ("given 5 CV risk; 3 Vessel CV", []),
]

ZIP_TABLE = [
    ("Boston, MA 02115", ["02115"]),
    ("zip code: 10001-1234", ["10001-1234"]),
    ("WBC 10500", []),
    ("My zip code is 3910", ["3910"]),
    ("Burlington, Vermont 05401-1234", ["05401-1234"]),  # ZIP+4 after a state name
    ("lives in Brindlewick 02134; Plt 15000", ["02134"]),  # after a place without a state; not a lab
    # AP state abbreviations; upper-case and multi-word cities ending an address line; a lab is no place
    ("Pueblo, Mich. 07226 | Tel; Reno, Nev. 89501-1234", ["07226", "89501-1234"]),
    ("Ozark, N. Dak. 87875; Aiken, S. Car. 29801; Taos, N. Mex. 87571", ["87875", "29801", "87571"]),
    ("ADDRESS: 9529 MILLARD STREET, SANTA ROSA 01733\nPT LIVES W SON", ["01733"]),
    ("new address is 8560 Coley Landing Idaho Falls 05266. please call", ["05266"]),
    ("apt at 9452 Rowlands Ct Apt B, Grand Island 23970. Plt Count 15000.", ["23970"]),
    # a code alone on the line closing an address block; international shapes after a label
    ("31401 ul. Slowicza 10 Apt. 360\n   Wroclaw\n    53-320\nNa 140\n12345", ["53-320"]),
    ("Zip code: 7412 SL; postal code B0J 2H0; ZIP 02114-1234", ["7412 SL", "B0J 2H0", "02114-1234"]),
    # AP "Penna.", territory codes after a place, a hyphenated town without a state
    ("Box 40, Tillamook, Penna. 83174.", ["83174"]),
    ("Bethel, GU 97053.", ["97053"]),
    ("given PR 12345 units", []),
    ("Ln. Box 28, Sedro-Woolley 16691.", ["16691"]),
    ("Plt-Count 15000", []),
    # AP state abbreviations in capitals or with an ellipsis typo; a mixed-case postal code
    ("LIVES AT 12 OAK LN, QUARVO, N. MEX. 08348 WITH", ["08348"]),
    ("DUMAS, N\u2026 DAK. 79160; CUT OFF, NEBR. 08311", ["79160", "08311"]),
    ("Quarvo Ar 01911; crisis line", ["01911"]),
    ("Glucose In 12345", []),
    ("9358 Yellin Cutoff Apt A13, Hatch 92024; crisis", ["92024"]),
]

CITY_TABLE = [
    ("Lives in Worcester, MA.", ["Worcester"]),
    ("moved from Springfield last year", ["Springfield"]),
    ("Resides in Harrisonburg.", ["Harrisonburg"]),
    ("Outside hospital records reviewed. Report pending.", []),
    ("Lives in Massachusetts.", []),
    ("HOME O2 FROM WACO MANOR, CONCENTRATOR SN 3", []),  # equipment after a facility, not a town
    ("lives in Twin Harbor and visits; MVC near Grand Prairie", ["Twin Harbor", "Grand Prairie"]),
    ("new address is 88 Orrin Hollow Cedar Falls 50613. call", ["Cedar Falls"]),  # no comma, then a ZIP
    ("Address: 12 Pell Bend Lot 4\n\tSilver Lake, Wis. 53021", ["Silver Lake"]),  # AP state abbreviation
    ("DR VESK NOTIFIED, CT HEAD ORDERED; CALL LIGHT, BED ALARM ON", []),  # a verb, a call light: no towns
    ("Boston Bowel Prep Scale 8; moved from Boston last year", ["Boston"]),  # a town naming a scale
    # a town naming a school district or police; "City of"; generic bodies are no town
    ("Employer: Great Bend school district; the Reading police department", ["Great Bend", "Reading"]),
    ("State police notified; Elementary schools closed; City of Quarvale", ["Quarvale"]),
    # a town before a lower-case "borough"; after a bare "outside" closing the clause
    ("REPORT   Tarn Hollow borough   mission 12; The borough nurse called", ["Tarn Hollow"]),
    ("drowned in a lake outside Quellport. Outside Records reviewed; outside Labs showed", ["Quellport"]),
    # activity verbs ("joined from"), ALL-CAPS places after "near"; "NEAR SYNCOPE" is a sign
    ("(telehealth, she joined from Hot Springs); works in Oncology", ["Hot Springs"]),
    ("video visit; pt connected from Quarvale; calling from Home", ["Quarvale"]),
    ("WORK ON THE FARM NEAR HIBBING. HAD NEAR SYNCOPE. WITH NEAR TOTAL OCCLUSION.", ["HIBBING"]),
    # a residence verb, a phrase, then "in"; care settings and countries are no town
    ("lives with her brother Tom in Bend; lives with son in Assisted Living", ["Bend"]),
    ("lives with daughter in Florida; lives alone in County housing", []),
    # the city after a unit alone
    ("4779 Quarvev Apt D, Valley City; UNIT #4, SANDPOINT 66702", ["Valley City", "SANDPOINT"]),
    # a town found with a cue is propagated to its other capitalised mentions; one ordinary word is not
    ("Lives in Great Bend, KS. GREAT BEND school board; great bend", ["Great Bend", "GREAT BEND"]),
    ("lives in Bend; Bend the knee", ["Bend"]),
    # after a street with a directional or a unit word (Box, Cabin, Space), also in brackets
    ("at 3661 Oak Ter. Unit D-12 (Quarvale) about 3 h PTA", ["Quarvale"]),
    ("1207 Elm Hwy S (Barrow Point) about", ["Barrow Point"]),
    ("1936 Alder Flats Street Cabin 31, Quarvale 37206.", ["Quarvale"]),
    ("ADDRESS 230 ELM HOLLOW RD BOX 12, QUARVALE. CAREGIVER", ["QUARVALE"]),
    ("8281 Oak Ave. NE, Wise.\nOutpatient", ["Wise"]),
    # a town naming its school, jail or court ("City" inside the name is no obstacle)
    ("soccer, Hazard High School\nAthletic trainer", ["Hazard"]),
    ("to take to Baker City schools; questions", ["Baker City"]),
    ("held at Baker City COUNTY JAIL", ["Baker City"]),
    ("sent to State police and Elementary schools", []),
    # a town closing a patient header after age and sex; a description there is none
    ("Patient: Jo R., 73 y/o woman, Hazard\nHPI:", ["Hazard"]),
    ("Patient: Jo R., 73 y/o woman, Widowed\nHPI:", []),
    ("45 yo M, Ambulatory\n", []),
    # a capitalised name-shaped common word after a residence cue
    ("i want to go home to Wise, my dog", ["Wise"]),
    # a lower-case town after a residence cue; a function word ends it, an ordinary word is none
    ("she lives in quarvale with her son", ["quarvale"]),
    ("she lives in town with her son", []),
    # a town before an ALL-CAPS "COUNTY", a rec center or a ZIP (a comma before, a state, or no ordinary word)
    ("Quarvo Springs COUNTY DISTRICT COURT", ["Quarvo Springs"]),
    ("THE COUNTY HOSPITAL; STATE COUNTY JAIL", []),
    ("walks with her son at the Quarvo Isle rec center.", ["Quarvo Isle"]),
    ("School District, 8524 Oak Avenue No. 28, Hatch 90624-6425; crisis", ["Hatch"]),
    ("ADDRESS 8451 KABARA RD, TALVERO 44163  (GATE CODE", ["TALVERO"]),
    ("MENVO 52256", ["MENVO"]),
    ("Room 12345; Glucose 12345; Hx CHF 12345", []),
    # a town and a postal code closing a line after a comma
    ("Patient location: home, Quarvo Point KS\nPlatform", ["Quarvo Point"]),
    ("Plan: continue, Tylenol PO\n", []),
    # "lives <town>" without a preposition; "<Word> City"; "<role> <name>, MD" is no town in Maryland
    ("DONOR LIVES QUELLBROOK; CARD ON FILE", ["QUELLBROOK"]),
    ("PT LIVES ALONE; SON NEARBY. She lives Independently.", []),
    ("home 12 Oak St Casita 3, Tolvane City", ["Tolvane City"]),
    ("grew up in the Inner City; The City clinic", []),
    ("Physician Tamsin Roe, MD; signed by Surgeon Jo Quell, MD", []),
]


FACILITY_TABLE = [
    ("Transferred from Springfield General Hospital.", ["Springfield General Hospital"]),
    ("Follows at Lakeside Family Clinic", ["Lakeside Family Clinic"]),
    ("Admitted to St. Mary's for rehab", ["St. Mary's"]),
    ("Outside Hospital records; Cardiology Clinic follow-up.", []),
    ("Discharge Summary - University Hospital", ["University Hospital"]),
    ("Brief Hospital Course: uneventful", []),
    ("dc to Blynbrook Rehab; Zorva Valley Skilled Nursing",
     ["Blynbrook Rehab", "Zorva Valley Skilled Nursing"]),
    ("Seen at Oakmere Family Practice. Then Hollins Nursing Home", ["Oakmere Family Practice",
                                                                    "Hollins Nursing Home"]),
    ("from Aspen Ridge SNF; Yarrow Dialysis Unit", ["Aspen Ridge SNF", "Yarrow Dialysis Unit"]),
    ("home O2 from Quenby House", ["Quenby House"]),
    ("AT GOOD SAMARITAN HOSPITAL OF TERRE HAUTE, PH", ["GOOD SAMARITAN HOSPITAL OF TERRE HAUTE"]),
    ("received from Raleigh Community Hosp. on 6 Oct", ["Raleigh Community Hosp"]),
    ("referral to Ketter Falls Post-Acute faxed", ["Ketter Falls Post-Acute"]),
    ("resides at The Willows at Brannock with", ["The Willows at Brannock"]),  # senior-living naming
    ("Destination: Quorra Health Sioux Falls\nPt:", ["Quorra Health Sioux Falls"]),  # campus/town after
    ("Mercy Health - Eastgate - Women's Imaging", ["Mercy Health - Eastgate"]),
    ("ED REGISTRATION / FACE SHEET\tTorvald Regional Health", ["Torvald Regional Health"]),  # tab = column
    ("Recorder: X, RN   Pharmacy: Y", []),  # a column gap: "RN   Pharmacy" is no facility name
    # a town's name before service words and "Imaging"; a service alone is none
    ("recheck at Quarvemine Breast Imaging. No", ["Quarvemine Breast Imaging"]),
    ("Recommend Cardiac Imaging; Diagnostic Imaging dept; Breast Imaging showed", []),
    # organisation and specialty heads the facility nouns lack: a proper modifier before service words
    ("Quarnby Opioid Treatment Program -- INTAKE", ["Quarnby Opioid Treatment Program"]),
    ("employer: Iron Cove Nurse Advice Line (clerk)", ["Iron Cove Nurse Advice Line"]),
    ("Reporter: J. Roe, RN, Pellow Limb & Brace, 555", ["Pellow Limb & Brace"]),
    ("FENWICK TRAVEL MEDICINE -- PRE-TRIP VISIT", ["FENWICK TRAVEL MEDICINE"]),
    ("follows with Quillby Pediatrics; Marsh Gap Ski Patrol brought him", ["Quillby Pediatrics",
                                                                         "Marsh Gap Ski Patrol"]),
    ("Tern Laser & Skin   05/02/2021", ["Tern Laser & Skin"]),  # ordinary words opening a field, "&" pair
    ("seen at Bitter Creek Allergy; Quenby Ambulance came; Air Ambulance; Food Allergy",
     ["Bitter Creek Allergy", "Quenby Ambulance"]),  # a place word ("Creek") is a proper modifier
    ("at Tumbling Fork Drive-Thru Testing Site; Yarrow Gap Care Suites",
     ["Tumbling Fork Drive-Thru Testing Site", "Yarrow Gap Care Suites"]),
    ("Right Deltoid Injection Site; Endoscopy Suites; Main Campus", []),
    # case changes end a phrase; long clinical adjectives no list knows are no proper modifier
    ("AFTERCARE PLAN Unit; Neurodiagnostic Laboratory; Peds Ortho; Cystinosis Research Foundation", []),
    ("f/u Quarrel Kids Dental; Hollin Derm", ["Quarrel Kids Dental", "Hollin Derm"]),
    # a department after a facility's name is no part of it; an authority or district is
    ("Quarvo County Hospital Maternal-Fetal Medicine; Tarn Regional Hospital Authority",
     ["Quarvo County Hospital", "Tarn Regional Hospital Authority"]),
    # an acronym head takes the case of the words before it
    ("bill: Tamsin Ridge Medical Billing LLC\nTERN LASER & IVF -- LOG", ["Tamsin Ridge Medical Billing LLC",
                                                                        "TERN LASER & IVF"]),
    # services, devices and agencies are no facility: generic words only, a weak head after an eponym,
    # ordinary words mid-line in capitals, a national body
    ("Enrolled in Intensive Outpatient Program; call Nurse Advice Line; Sports Medicine f/u", []),
    ("Central Line placed. Hickman Line flushed. SEARCH & RESCUE / WILDERNESS MEDICINE REPORT", []),
    ("PT TO ATTEND OPIOID TREATMENT PROGRAM DAILY", []),
    ("See National Kidney Foundation and American Heart Association guidance", []),
    ("Tylenol & Motrin; Smith & Nephew dressing", []),
    # the facility noun first ("Hospital de X"); "&" pairs and specialty heads after a proper word
    ("Transferred from Hospital de Quintaro today.", ["Hospital de Quintaro"]),
    ("Clinic of Cardiology follow-up", []),
    ("Referred to Quarnby Dive & Hyperbaric for HBO.", ["Quarnby Dive & Hyperbaric"]),
    ("county health dept (Tolvik County Health Department) notified", ["Tolvik County Health Department"]),
    ("FAA exam at Quarnby Aeromedical today", ["Quarnby Aeromedical"]),
    # a campus or town after an organisation name, before a column gap
    ("ED NOTE   Baptist Health Quarnby   07/14/2021 4:45 AM", ["Baptist Health Quarnby"]),
]

# the token after any identifier label, whatever its shape; small numbers and doses after everyday words kept
LABELLED_VALUE_TABLE = [
    ("MRN: M/4567953", ["M/4567953"]),
    ("drives (212 RRY)", ["212 RRY"]),
    ("plan 150 mg; tx 500mg daily", []),
]

# Allow-list pass: invented names/places no lexicon lists are scrubbed; clinical words, sentence-initial
# words, brand drugs with a dose, eponyms and abbreviations are kept.
UNKNOWN_WORD_TABLE = [
    ("Pt seen with Zorvath Kellimore today.", ["Zorvath Kellimore"]),
    ("Zorvath was discharged home.", ["Zorvath"]),  # sentence-initial, but no known word at all
    ("Seen by J. Threnwick and J Threnwick.", ["J. Threnwick", "J Threnwick"]),  # initial + surname
    # a scrubbed word is propagated to its other mentions, any case
    ("Dr Quellan saw her; QUELLAN agreed and quellan signed.", ["Quellan", "QUELLAN", "quellan"]),
    ("transferred from Brindlewick Rehab.", ["Brindlewick"]),
    ("Van Bravfaelt agreeable.", ["Van Bravfaelt"]),
    # an e-mail is no lower-case evidence (and the found name is propagated into it)
    ("Seinsus is here. e-mail tryr.seinsus@x.org", ["Seinsus", "seinsus"]),
    ("ADMITTED FROM DRAILTWICK MANOR. SEEN BY DR ZORBA.", ["DRAILTWICK", "MANOR", "ZORBA"]),  # ALL-CAPS line
    ("Continue Lasix 40 mg and Zorbix 20 mg daily.", []),  # brand drug with a dose
    ("Kawasaki disease and Tinel's sign noted.", []),  # eponyms
    ("Orthopnea improved. Cellulitis resolving. Hx of OSA, MGUS.", []),  # terms, abbreviations
    ("Acanthamoeba keratitis is rare; acanthamoeba lives in water.", []),  # the note writes it lower-case
    ("Acct #: 12345. Ext: 4.", []),  # labels
    ("The patient ambulated. However, Metoprolol was held.", []),
    ("Zorva Texkualt-Zhaevjesk seen; HFrEF, SpO2 ok.", ["Zorva Texkualt-Zhaevjesk"]),  # hyphenated surname
    ("results d/w krain (sister); quom (pcp) aware; husband zorvath called", ["krain", "quom", "zorvath"]),
    ("per protocol; spoke with family; c/o pain per pt report", []),  # lower-case cue words, no names
    ("Seen with Zoë Łukasz; husband josé called. Ménière disease.", ["Zoë Łukasz", "josé"]),  # any script
    # invented eponyms and brand drugs, recognised by context: a head noun or a disease-shaped word after,
    # a dose/route/frequency after, a drug verb before, a generic name in brackets
    ("Hx of Brenvik contracture and Quellor syndrome.", []),
    ("Marwick cardiomyopathy, Tessaly thyroiditis.", []),
    ("Takes Zorvexa 24/26 PO BID; give Plimtor SQ; started Vandrix.", []),
    ("Klorvane (donepezil) and metformin (Glucorva) ordered.", []),
    ("Dr. Charvoss foot exam today", ["Charvoss"]),  # a title beats the head noun
    ("PT USES ROLLATOR AND COMMODE AT NIGHT", []),  # ALL-CAPS clinical words (clinical_vocab.txt)
    ("Reaosn for exam; Paegr 1234; Addenudm to note", []),  # known words with two letters swapped
    # lower-case names: chained after a cue, in brackets after a kin word, an ordinary given name after "pt"
    ("d/w tarnel voskey (icu) by phone; wife (pirra o'dane) aware", ["tarnel voskey", "pirra o'dane"]),
    ("pt aura vendrick 84yo, id by wallet", ["aura vendrick"]),
    ("spoke w/ Wand Dretholm, case mgr", ["Wand Dretholm"]),
    ("Tomasz had given Tomasz his address.", ["Tomasz"]),  # "given" + name is no drug
    ("Quorell B lines; Vastrik II block", []),  # a letter or numeral between an eponym and its head noun
    ("monitor Zenthrin 2.53 and Lactorin 1.1", []),  # a lab value after the word
    ("SKIN: BRADEN 14, STAGE 2 SACRUM\nMORSE FALL SCORE 45 - HIGH FALL RISK", []),  # bedside scales
    ("port card given.\nYeldor Q  06/11/2024 7:00 AM\n", ["Yeldor Q"]),  # an initial after the surname
    ("Your care team: Ashvic, your nurse", ["Ashvic"]),  # -ic on a short word is a name, not an adjective
    # a surname of drug-like shape ("-ine") after an initial; a dose after it keeps the drug
    ("cc: ROE, JANE; N. Quarvahine; file", ["N. Quarvahine"]),
    ("given L. Zorvatine 500 mg", []),
    # initials in brackets spelling scrubbed words, even when they also spell a test ("CT")
    ("NURSE CORVAL TIRNEK (CT)   x", ["CORVAL TIRNEK", "CT"]),
    ("Jane Quarvik (CT) today; head (CT) done", ["Jane Quarvik"]),
    # an ordinary word opening a person's field before a found surname is the given name
    ("Injured: Pilot Zorvathi   aged 20", ["Pilot Zorvathi"]),
    ("Seen with Qorsalam today; Zorvazolam 2 mg given", ["Qorsalam"]),  # "-lam" names; "-azolam" drugs
    ("msg: hi its Toros's parent; Patient's mother called", ["Toros"]),  # a typo-shaped name ("torso")
    ("Ordered: Continue Zorvathi; Diagnosis: Acute Zorvathi", ["Zorvathi"]),
    ("since i started the Zorvexa i felt dizzy", []),  # a drug verb and a determiner before
    ("INR 2.6, QRV 125, HCO3 20\nHX DJD, CKD AND HFREF. SEEN BY KORVALD", ["KORVALD"]),  # labs, acronyms
    # acronyms: one vowel in a short capital word, hyphenated parts; a prefix + word product; a plural eponym
    ("Elevated QVEDP today; T-QSRS screen and EBUX-TBNQ done", []),
    ("BIOPLUG applied to the line site; Apgars 8 and 9", []),
    ("Trevalk Agility Scale 41/56; Morvant class III airway; Quessel maneuvers", []),  # instruments
    ("postpartum visit with Dalvorn, K. at clinic", ["Dalvorn, K."]),  # the given-name initial goes too
    ("lives on Fairmore Road with Bluefield family", ["Fairmore", "Bluefield"]),  # two words: still a name
    # a lower-case subject heading a clause (listed, or unknown from 4 letters); known words and labs kept
    ('"I want to go home, eda is feeding my cat, zorvath was here."', ["eda", "zorvath"]),
    ("BNP was 450; bnp was high, lean is feeding", []),
    ("Quellmor, Jun  |  650744557\nGenetics: Jun's mother", ["Quellmor", "Jun"]),  # a found name's possessive
    ("PRAYER, ANOINTING AND COMMUNION AT BEDSIDE WITH CHAPLAIN", []),  # spiritual-care words
    # a word refused only for its drug-like shape: subject of a speech verb, before an initial or a surname
    ('chaplain visited.\nTolmine said: "i want to go home"', ["Tolmine"]),
    ("also present Lusine B. (SW) today", ["Lusine B."]),
    ("Athlete: Tolmine Quarvevi (F), soccer", ["Tolmine Quarvevi"]),
    ("Started Interferon B. today; Vitamin D. low", []),
    ("caller: quarvev tolmira (father) calling about x", ["quarvev tolmira"]),
    ("Family contact email: k.roe@x.com", []),
    # an initial glued to the surname; a "-oma" surname after a found given name, not alone
    ("cc: R. Vanterpool; K.Osterhagen; pharmacy", ["K.Osterhagen", "R. Vanterpool"]),
    ("Household contacts: Tamsin Quellapoma; testing arranged.", ["Tamsin Quellapoma"]),
    ("Hx of Quellapoma resected.", []),
    # "LAST, FIRST" opening a table cell or a column: the surname whatever its shape
    ("RX | PATIENT\n123 | QUELLAPOMA, TORVI | x", ["QUELLAPOMA", "TORVI"]),
    ("Decedent: QUARVEVO, S.   Quarvevine, Tolmira   MRN 179 825 842",
     ["QUARVEVO, S.", "Quarvevine", "Tolmira"]),
    ("Pre-op dx: BCC. Post-op call. Sponsor notified. Truck left in lot.", []),
    # an ordinary word between a role noun and a found surname is the given name; a role title is not
    ("Triage officer Promise Quarvenik, NREMT", ["Promise Quarvenik"]),
    ("Nurse Practitioner Quarvenik saw pt; case manager Referral placed", ["Quarvenik"]),
]


TABLES = [
    (UnknownWordRecognizer, UNKNOWN_WORD_TABLE),
    (NameRecognizer, NAME_TABLE),
    (DateRecognizer, DATE_TABLE),
    (AgeRecognizer, AGE_TABLE),
    (PhoneRecognizer, PHONE_TABLE),
    (EmailRecognizer, EMAIL_TABLE),
    (UrlRecognizer, URL_TABLE),
    (IpAddressRecognizer, IP_TABLE),
    (SsnRecognizer, SSN_TABLE),
    (MedicalRecordNumberRecognizer, MRN_TABLE),
    (AccountNumberRecognizer, ACCOUNT_TABLE),
    (HealthPlanNumberRecognizer, HEALTH_PLAN_TABLE),
    (UniqueIdRecognizer, UNIQUE_ID_TABLE),
    (LicenseRecognizer, LICENSE_TABLE),
    (DeviceIdRecognizer, DEVICE_TABLE),
    (VehicleIdRecognizer, VEHICLE_TABLE),
    (StreetAddressRecognizer, STREET_TABLE),
    (ZipCodeRecognizer, ZIP_TABLE),
    (CityRecognizer, CITY_TABLE),
    (FacilityRecognizer, FACILITY_TABLE),
    (LabelledValueRecognizer, LABELLED_VALUE_TABLE),
]


@pytest.mark.parametrize(
    "cls,text,expected",
    [
        pytest.param(cls, text, exp, id=f"{cls.__name__}-{i}")
        for cls, table in TABLES
        for i, (text, exp) in enumerate(table)
    ],
)
def test_recognizer_table(cls, text, expected):
    check(cls, text, expected)


def test_every_registered_recognizer_has_a_table():
    recs, threshold = load_recognizers()
    assert threshold == THRESHOLD
    assert {type(r) for r in recs} == {cls for cls, _ in TABLES}
    for r in recs:  # PATTERNS/CONTEXT are class constants, presidio sees them as its own patterns
        assert r.patterns and len(r.patterns) == len(type(r).PATTERNS)


@pytest.mark.parametrize(
    "fn,good,bad",
    [
        (ssn_ok, "123-45-6789", "666-45-6789"),
        (luhn_ok, "4111111111111111", "4111111111111112"),
        (dea_ok, "AB1234563", "AB1234564"),
        (npi_ok, "1234567893", "1234567890"),
        (vin_ok, "1HGCM82633A004352", "1HGCM82633A004353"),
        (iban_ok, "GB82WEST12345698765432", "GB82WEST12345698765433"),
    ],
)
def test_checksums(fn, good, bad):
    assert fn(good) and not fn(bad)

"""Shape-based, fail-closed rules: one table per recognizer kind, (text, the substrings it must report).

Positive rows are identifier shapes in wordings no template uses; negative rows are the clinical content
each rule must leave alone (vitals, scores, fractions, clinical code shapes). Each recognizer runs alone, the
way the analyzer runs it (analyze, its own context enhancement, the registry threshold, overlaps merged).
"""

import pytest

from medfl.privacy.deid.engine import _merge
from medfl.privacy.deid.recognizers.contact import IpAddressRecognizer, PhoneRecognizer
from medfl.privacy.deid.recognizers.dates import AgeRecognizer, DateRecognizer, title_line_end
from medfl.privacy.deid.recognizers.ids import (
    AccountNumberRecognizer,
    HealthPlanNumberRecognizer,
    LabelledValueRecognizer,
    LicenseRecognizer,
    MedicalRecordNumberRecognizer,
    SsnRecognizer,
    UniqueIdRecognizer,
    VehicleIdRecognizer,
    clinical_alnum,
)

THRESHOLD = 0.5
_CACHE = {}


def found(cls, text):
    rec = _CACHE.setdefault(cls, cls())
    res = rec.enhance_using_context(text, rec.analyze(text, [rec.ENTITY]), [], None)
    spans = _merge(text, [(r.start, r.end, r.entity_type, r.score) for r in res if r.score >= THRESHOLD])
    return sorted({text[s:e] for s, e, _ in spans})


# AGE: 90-125 glued to / just before an age or sex marker, after an age label in any spelling, after a sex
# letter, or in apposition; vitals, doses, temperatures and plurals stay
AGE_SHAPES = [
    ("Age (yrs): 92  |  referring", ["92"]),
    ("97 yoa female; 90 yoa M", ["97", "90"]),
    ("98F, MRN 123; 100M   RM 413", ["98", "100"]),
    ("92 y.o.a. and 101 yrs. and 96yM", ["92", "101", "96"]),
    ("a 103-yr-old; 94 / F; 95 gentleman", ["103", "94", "95"]),
    ("age=93; AGE/SEX: 94 F; Age/Sex: F/95; Pt age - 96", ["93", "94", "95", "96"]),
    ("Age at visit: 97; aged about 98; Age ~99; Age (years): 103", ["97", "98", "99", "103"]),
    ("Sex: F 92; M, 93", ["92", "93"]),
    ("Apparent age: 90s; estimated age 95", ["90s", "95"]),
    ("Jane Roe, 94, presents; patient, 98, with CHF", ["94", "98"]),
    ("W/M 92; 94 WF with dementia; a man of 95 who", ["92", "94", "95"]),
    ("She is ninety-four. He turned one hundred and two", ["ninety-four", "one hundred and two"]),
    ("she is ninety percent sure; was one hundred times", []),
    ("a hundred and two years old; stated age of 94 years", ["a hundred and two", "94"]),
    ("HR 92, SpO2 92%, BP 100/60, 92 mg, wt 95 kg, RR 96", []),
    ("Temp 99 F, Tmax 101 F, febrile to 100F", []),  # Fahrenheit, not a female patient
    ("95 women enrolled; walked 100 m; 67 yo male", []),
    ("Age-appropriate; HR 95 today", []),
    ("93/F. ALLERGIES; 98 Y/O woman; Age/Sex: 90/F; age in years: 100; 91 YEARS",
     ["93", "98", "90", "100", "91"]),
    ("ages 20-40, glucose 96", []),
    # a bracketed age marker, a misspelt year word, a bare number right after a date of birth
    ("Roe, Kim   97 (yrs)   acct 1; caller re Jo Lee, 101 [y/o], MRN", ["97", "101"]),
    ("Pt: 96, female; Roe 91, woman", ["96", "91"]),
    ("log pt_age=93 sex=F; Resident: Roe   Yrs: 99   Rm 2", ["93", "99"]),
    ("smoked 40 yrs: 95 pack-years? no; years: 20; page_92=ok", []),
    ("HR 96, female pt; plt 92, male; Temp 99, F; ages 80-98, male:female 9:60; 91, male/female", []),
    ("a 98 yaers old man; 93 yeras-old; she is turning 96 in May", ["98", "93", "96"]),
    ("DOB 04.03.1921   101   TEL 1; born Mar 4, 1920 (102); D.O.B: 7 Jan 1925, 99", ["101", "102", "99"]),
    ("DOB 3/4/1950   wt 95 kg; DOB 1/2/1930   98.6; DOB 5/6/1931 92%", []),
    # a bare number alone in a cell or column of a patient's header row
    ("QUINN, T.   BADGE SEEN (55120)   96\nDOSE 40 MG", ["96"]),
    ("| Roe, Ann | 93 | F |", ["93"]),
    ("Vitals   HR   96   BP   120/80   Roe, J.\nRoe, Ann\tscore\t97\nRoe, J. took 92  tabs", []),
    ("Chair   4   bay   95\nGLUCOSE   104   Roe, J.", []),  # no person on the line; a lab column
]

# DATE: a bare month/day after a weekday, in brackets after follow-up wording, closing a title line
DATE_SHAPES = [
    ("Plan: next injection Fri 5/10; continue", ["Fri 5/10"]),
    ("Next: C4D1 Mon 1/3. Neulasta", ["Mon 1/3"]),
    ("PACU NOTE SAT 1/6 0830; due Wed 10/2; Seen Tues. 3/4", ["SAT 1/6", "Wed 10/2", "Tues. 3/4"]),
    ("Date: Thursday, March 3 seen; Fri 5/10/24 noted", ["Thursday, March 3", "Fri 5/10/24"]),
    ("RTC 1 week (4/4). Ms. Roe", ["4/4"]),
    ("RTC in 2 wks (3/18) with labs; Return visit (11/2).", ["3/18", "11/2"]),
    ("RESTRAINT / SECLUSION FLOWSHEET 3/3\nPT ROE", ["3/3"]),
    ("Thursday (3/4) she called; yesterday (3/5) fell; wk of 3/8 plan", ["Thursday (3/4)", "3/5", "3/8"]),
    ("March the 4th; Mar. the 21st", ["March the 4th", "Mar. the 21st"]),
    ("Wound Care Log 5/10\nPt tolerating; DISCHARGE INSTRUCTIONS 6/14", ["5/10", "6/14"]),
    ("Motor: 5/5 throughout\nBILATERAL UE 5/5\nPAIN 3/10\nMurmur 3/6\n", []),  # exam and scale lines
    ("Strength RUE (4/5), LUE (5/5); took 1/2 tab; 7/10 pain", []),
    ("sat 5/5 strength; sun exposure 1/2 day", []),  # lower-case weekday words are words
    ("margins negative, 2/14 nodes; 3/12 cores positive; met 4/6 criteria", []),  # counts
    ("s/p CABG 3/4; as of 3/5 stable; per 3/6 note; Day 0 = 3/7; POD#2 (3/8)",
     ["3/4", "3/5", "3/6", "3/7", "3/8"]),
    ("3/9 - BP high overnight\n- 3/10 labs reviewed\nPt called 3/11 re: refill", ["3/9", "3/10", "3/11"]),
    ("Biopsy 04MAR benign; CT 4Mar negative; since Jan/2021", ["04MAR", "4Mar", "Jan/2021"]),
    ("tolerated 1/2 of meal; took (1/2) tab; Hgb 9/10 stable; 4mar", []),
    ("retrieval 3/4, ET 3/9, LMP 2/14; Next tx 1/3", ["3/4", "3/9", "2/14", "1/3"]),
    ("family meeting 3/4; released 2/9; pronounced 1/6", ["3/4", "2/9", "1/6"]),
    ("the first of March; March twenty-first; mid-April",
     ["the first of March", "March twenty-first", "April"]),
    ("fell on Christmas Eve; admitted New Year's Day; since Easter", ["Christmas Eve", "New Year's Day",
                                                                   "Easter"]),
    ("seen 4.III.2021; between 3/1 and 3/4; 3/1 to 3/6", ["4.III.2021", "3/1", "3/4", "3/6"]),
    ("you may first try it; the second of three; 5/5 and 4/5 strength; Labor Day", []),
    ("5040 cGy in 28 fx; Fx 12/28 today; fraction 12/28", []),  # radiotherapy fraction counts
    # planned, expected or missed events, returns to work; a year written before a capitalised month
    ("MISSED DOSE 3/3; return to work 4/2; anticipated discharge 1/5", ["3/3", "4/2", "1/5"]),
    ("collected 2021 Mar 9; signed 2020 OCT 12th", ["2021 Mar 9", "2020 OCT 12th"]),
    ("in 2019 may 3 pts enrolled; missed 2/3 doses; 2019 Mar 45", []),
    # a day ordinal after a cue and one short word (a typo'd "the"); a dated message
    ("RTC on teh 9th (labs); due by da 21st.; portal msg 4/4 from son", ["9th", "21st", "4/4"]),
    ("on her 3rd visit; on the 5th percentile; after his 2nd dose", []),
    ("fell on the fourth. Due by the twenty-first; seen 2019年11月3日",
     ["fourth", "twenty-first", "2019年11月3日"]),
    ("on the fourth attempt; by the second dose; after the first, better", []),
]

# ID: letters+digits tokens (3+ digits, 2+ letters) are identifiers unless a clinical code shape; a
# letter-prefixed number with digit groups (a blood-unit DIN)
ID_SHAPES = [
    ("(UNOS LZC056), induction", ["LZC056"]),
    ("donor XQZ-4471 noted; kit RX7Q201 shipped; case AZ-9924-Q", ["XQZ-4471", "RX7Q201", "AZ-9924-Q"]),
    ("Room 5NE23; ZNF217 alone", ["5NE23", "ZNF217"]),
    ("Unit DIN W9594 22 449559   Component: FFP", ["W9594 22 449559"]),
    ("BRAF V600E, EGFR T790M, KRAS G12C, JAK2 V617F, CYP2C19, FAM126A, SLC30A10", []),
    ("C4D1, C12D15, T2N0M0, G2P1, COVID-19, E11.9, SpO2 94%, HbA1c 7.2", []),
    ("500mg, 120bpm, QTc 480ms, 100th percentile, 1990s, 39w6d, 5-10mg, 0800hrs", []),
    ("Lu-177, Tc99m, CA-125, CA125, CD117, HLA-B5801, T10-T12, T12-L1, ICD-10", []),
    ("ZNF217 amplification; MIR155 expression", []),  # gene wording nearby
    ("Hgb 12 10 11 Plt 250 240 (vitals)", []),
    ("UNOS 448213; NMDP #: 2231-77; subject 0042-117; study ID 5521",
     ["448213", "2231-77", "0042-117", "5521"]),
    ("donor kidney; recipient 1000 mL; study 2021", []),
    ("Inmate #A12345; DOC # 1234567; booking 2024-001234; ME case 24-113",
     ["A12345", "1234567", "2024-001234", "24-113"]),
    ("Montage F7-T3-T5-O1, Fp1-F3-C3-P3; PTV5040, CTV4500; GG0130A; IgE 250kU; 4000Hz 65dB", []),
    # a code with a slash-joined year or check digits: the code decides
    ("Sick bay log QX7731/22   Berth 4; ref TRZ-0042/7", ["QX7731/22", "TRZ-0042/7"]),
    ("C5/6, T10/11, L4/L5, HbA1c/100 stable; PTV5040/28 fx", []),
]

# DATE in every separator and case: spaced/slashed with a full year (validated month/day either order),
# day-month-year glued to punctuation, lower-case months framed by a cue or a time, an appointment's date
DATE_FORMS = [
    ("DOB 12 / 15 / 1940; born 3 . 4 . 1951; seen 11 22 1918",
     ["12 / 15 / 1940", "3 . 4 . 1951", "11 22 1918"]),
    ("DOB: 25 09 1920\nnoted 7 - 4 - 2003", ["25 09 1920", "7 - 4 - 2003"]),
    ("vitals 45 33 1990 steps; 13 13 2001; 2019 13 40", []),
    ("scanned 2019 12 10; 2020 / 1 / 31; interrogated on 20170915",
     ["2019 12 10", "2020 / 1 / 31", "20170915"]),
    ("ref 20171345; 19991232; 2017091512", []),  # no month 13, no day 32, too long
    ("saved as holter_20190412_final.pdf; EEG_19981103", ["20190412", "19981103"]),  # between underscores
    ("scan REF_19jan21.edf; MOLST_11dec24.pdf; took 3Feb99", ["19jan21", "11dec24", "3Feb99"]),
    ("stage 45jan21; 2mar", []),  # no day 45; lower-case day-month without a year
    ("PPD read Mar 26: 0 mm; Mar 26:00", ["Mar 26"]),
    ("CONSULT FRI 08-JUL 10:15 AM; msg October 1 2315; NOV. 7\n1900 REPORT",
     ["FRI 08-JUL", "October 1", "NOV. 7"]),
    ("date july 3; since june 13; msg may 4 4:00 AM; on may 9", ["july 3", "june 13", "may 4", "may 9"]),
    ("you may 2 tabs; dec 10 mg; mar 3 lesions", []),  # verb / abbreviations without a date cue
    ("next doses 5/10. HUS 2/5 NO IVH", ["5/10", "2/5"]),
    ("OUTSIDE APPT RIVER CLINIC 8/10, TRANSPORT", ["8/10"]),
    ("RUE strength 4/5; next 2 tabs 1/2", []),
]

# MRN/account/plan labels: the next id-shaped token whatever its shape (check digits after "/", dotted
# groups, spaced groups); bare "MR"/"plan" only with 5+ digits after them
LABELLED_IDS = [
    (MedicalRecordNumberRecognizer, "MRN 7137814/9; MR 1511159/9; Hospital no. 4874377/3",
     ["7137814/9", "1511159/9", "4874377/3"]),
    (MedicalRecordNumberRecognizer, "Medical record no.: 202 410 427          Unit: Ortho", ["202 410 427"]),
    (MedicalRecordNumberRecognizer, "Clinic # 55-0912/4; case no. Q7781.3", ["55-0912/4", "Q7781.3"]),
    (MedicalRecordNumberRecognizer, "MR 3+; mild MR 2/4; MR 1000 mL", []),  # mitral regurgitation
    (AccountNumberRecognizer, "Acct 5513.70537.4; visit HB874875665", ["5513.70537.4", "HB874875665"]),
    (HealthPlanNumberRecognizer, "Plan 91652287G; plan: QX881234", ["91652287G", "QX881234"]),
    (HealthPlanNumberRecognizer, "Plan: 2 units PRBC; plan 1000 mL; Plan 3/4", []),
    (VehicleIdRecognizer, "county van BIG2GO. Transport van BFB 6492; plate 1jrwpxwnfjllvt9sj; van QUIKCAB.",
     ["BIG2GO", "BFB 6492", "1jrwpxwnfjllvt9sj", "QUIKCAB"]),
    (VehicleIdRecognizer, "van arranged; car seat; RV 45 mmHg; ambulance 2 crew", []),
]

# unlabelled fail-closed shapes: 7+ digits with a check digit, year-serial and spaced groups in a header row
# (a "/" explains a number only when a unit is glued after it), dotted OIDs, UUIDs, credential codes
ID_FORMS = [
    ("Roe, Ann  /  1405054/0  /  DOB", ["1405054/0"]),
    ("Roe, Ann  /  21-8987307  /  DOB; Roe  /  597 475 167  /  x", ["21-8987307", "597 475 167"]),
    ("series UID 1.2.840.113619.2.376.7.202489302.2547) on PACS", ["1.2.840.113619.2.376.7.202489302.2547"]),
    ("amplifier 27883534-5035-42ee-ccf6-047f813cdf0f)", ["27883534-5035-42ee-ccf6-047f813cdf0f"]),
    ("Roe, LCSW (AuD.53378). Kim, PT (Lic.0042311)", ["AuD.53378", "Lic.0042311"]),
    ("Plt 250000/uL; 1000000/mm3; version 1.2.3; IgE 486; Fig.12", []),
    ("E11.9, Hgb 12.5, ratio 1:40, titer 1/640, no.12", []),
    ("upload ECG_20114573_final.xml; IMG_88120045", ["20114573", "88120045"]),  # between underscores
    # a dash-padded serial, a digits-capital-digits batch code, digit runs in a file name
    ("Session S-0042 billed; batch 21B07 and run 4471Q22; saved roe_44712_v2.docx, 3381.pdf",
     ["S-0042", "21B07", "4471Q22", "44712", "3381"]),
    ("HCPCS J0696; OASIS M0010; 10E9/L; 5X10; OT 1W4; 39W6D; 12H30; page 2 of report.pdf", []),
    ("Plt 1,2345678; 1000000 units", []),
    ("CONSULT MON 23-OCT 0530; EpiPen (Rx 4824572-05); (MRN 00420481)", ["4824572-05", "00420481"]),
]

# PHONE (vanity numbers): an area code never starts with 0 or 1; a value, a full stop, then a word is prose
PHONE_SHAPES = [
    ("call 1-800-FLOWERS or (617) 555-HELP", ["1-800-FLOWERS", "(617) 555-HELP"]),
    ("0415 FSBG 145.COVERAGE GIVEN; BS 245.COVERAGE", []),
    ("Contact x6570 with questions; inbound from tel:+1-865-620-3149", ["x6570", "tel:+1-865-620-3149"]),
    ("Jo Roe, RN -- line x2812", ["x2812"]),
    ("3 x 2500 cells; medical record number (032397098)", []),
]

# LICENSE: the number right after a professional credential written after a name (ambiguous credentials
# that are also clinical abbreviations need 4+ digits); quantities after a signature stay
LICENSE_SHAPES = [
    ("Kim Roe, DVM 2231   PT J. Lee; T. Ng (LCSW 7781); Ann Lee, CPO 55012", ["2231", "7781", "55012"]),
    ("Jo Kim, PT 4417. Lee, RN #66120", ["4417", "66120"]),
    ("INR 1.1, PT 14; PT 120 sec; (OD 20/20); Roe, MD 1000 mL; Lee, RN 100%", []),
]

TABLES = [(AgeRecognizer, AGE_SHAPES), (LicenseRecognizer, LICENSE_SHAPES),
          (DateRecognizer, DATE_SHAPES), (DateRecognizer, DATE_FORMS),
          (UniqueIdRecognizer, ID_SHAPES), (UniqueIdRecognizer, ID_FORMS), (PhoneRecognizer, PHONE_SHAPES)]


@pytest.mark.parametrize(
    "cls,text,expected",
    [pytest.param(c, t, e, id=f"{c.__name__}-{i}") for c, table in TABLES for i, (t, e) in enumerate(table)],
)
def test_shape_table(cls, text, expected):
    assert found(cls, text) == sorted(set(expected)), text


@pytest.mark.parametrize(
    "cls,text,expected",
    [pytest.param(c, t, e, id=f"{c.__name__}-{i}") for i, (c, t, e) in enumerate(LABELLED_IDS)],
)
def test_labelled_ids(cls, text, expected):
    assert found(cls, text) == sorted(set(expected)), text


# the allow-list of clinical code shapes, one row per shape family: (token, allowed)
CLINICAL_ALNUM = [
    ("500mg", True), ("120bpm", True), ("1000mL", True), ("100th", True), ("1990s", True), ("39w6d", True),
    ("V600E", True), ("JAK2V617F", True), ("C677T", True), ("L858Rfs", True),
    ("FAM126A", True), ("CYP2C19", True), ("C12D15", True), ("T10-T12", True), ("Lu-177", True),
    ("CA-125", True), ("CD117", True), ("HLA-B5801", True), ("BNT162b2", True), ("mRNA-1273", True),
    ("T2N0M0", True), ("G10P1001", True), ("F7-T3-T5-O1", True), ("PTV5040", True), ("GG0130A", True),
    ("250kU", True), ("100-year-old", True), ("24-hour", True), ("Blink-182", True),
    ("LZC056", False), ("AB123", False), ("ABC-1234", False), ("XQ-100-year", False), ("Ab123", False),
    ("XQZ-4471", False), ("v600e", False),
]


@pytest.mark.parametrize("token,allowed", CLINICAL_ALNUM)
def test_clinical_alnum_allow_list(token, allowed):
    assert clinical_alnum(token) is allowed


@pytest.mark.parametrize(
    "text,closes",
    [
        ("SECLUSION FLOWSHEET 3/3\nnext", True),
        ("Wound Care Log 5/10", True),
        ("BILATERAL UE 5/5\n", False),  # an exam word in the title
        ("Pain 3/10 and more\n", False),  # not the end of the line
        ("took the 1/2\n", False),  # not a capitalised title
    ],
)
def test_title_line_end(text, closes):
    i = text.index("/")
    s, e = text.rfind(" ", 0, i) + 1, i + 1
    while e < len(text) and text[e].isdigit():
        e += 1
    assert title_line_end(text, s, e) is closes


# General rules: (1) any identifier label makes the next digit-bearing token PHI whatever its shape;
# (2) slash-joined / credential / table-cell codes; (3) month-name dates with any separator; (4) "aet." and
# apposition ages; (5) hex-colon tokens with "::". Each rule has negative rows of clinical content.
GENERAL_SHAPES = [
    # (1) after any label
    (LabelledValueRecognizer, "MRN: Q/4401872; chart QX.88.12", ["Q/4401872", "QX.88.12"]),
    (LabelledValueRecognizer, "Device: wound vac (unit 7H21PZ); CGM TX 3K88QW", ["7H21PZ", "3K88QW"]),
    (LabelledValueRecognizer, "her son drives (318 TQW); he drives (4-2210C)", ["318 TQW", "4-2210C"]),
    (LabelledValueRecognizer, "drives (1H4 K7J2P 9EX 4BQW2Z)", ["1H4 K7J2P 9EX 4BQW2Z"]),
    (LabelledValueRecognizer, "policy #QZ-77/310 ok; case 24#8812", ["QZ-77/310", "24#8812"]),
    (LabelledValueRecognizer, "plan 2 wk; unit 4B; tx 500mg; plan 150 mg; case 2019; BP plan 130/80", []),
    (LabelledValueRecognizer, "id (see above); unit (4 U); visit 12/03/2019; Wagner grade 3", []),
    (LabelledValueRecognizer, "VISIT 12-30-18 1630   PT X; ON FILE     M0020 PATIENT", []),
    (LabelledValueRecognizer, "MRN 4471; Lic: 512; kit K-77/4Q1; trial TX-88-0412",
     ["4471", "512", "K-77/4Q1", "TX-88-0412"]),
    (LabelledValueRecognizer, "group 135 patients; order 500 mg; run 3 of 10; report 2019; card 4B", []),
    # (2) slash codes, credentials, table cells
    (UniqueIdRecognizer, "Lakshmi Rao / K/2201934 / 98-year old", ["K/2201934"]),
    (UniqueIdRecognizer, "Series: HBX/7731/12 planned", ["HBX/7731/12"]),
    (UniqueIdRecognizer, "(Medic, CCP#4410); ANP   RNC#7712", ["CCP#4410", "RNC#7712"]),
    (UniqueIdRecognizer, "T. Ng (OTR/L 6021); CCC/SLP 4418", ["OTR/L 6021", "CCC/SLP 4418"]),
    (UniqueIdRecognizer, "|  Rao, Uma  |  512 QKT  |", ["512 QKT"]),
    (UniqueIdRecognizer, "| 03/10/1975 | 7KX P4RSC D2M LNBJVM | NEG", ["7KX P4RSC D2M LNBJVM"]),
    (UniqueIdRecognizer, "| 1975 | JVQ V3RSC D9M LNAJVM | pending", ["JVQ V3RSC D9M LNAJVM"]),
    (UniqueIdRecognizer, "| 120 80 72 | CBC BMP LFT | 1 TAB PO | A1C 7 2 | CBC W DIFF 2 |", []),
    (UniqueIdRecognizer, "BP 120/80; I/O 1200/900; 5 mg/1000 mL; S/P 2019; IV/PO 500 mg", []),
    (UniqueIdRecognizer, "| 12 HRS | 2 NEG | 3 TID |; OS QHS; G2P1; T2N0M0", []),
    (UniqueIdRecognizer, "LABS SENT, ACC# 9860035", ["9860035"]),  # a spaced "#": the number only
    # (3) month-name dates with any separator
    (DateRecognizer, "DOB Mar/07/1941; seen 14/Feb/2019; due Oct.3.2020", ["Mar/07/1941", "14/Feb/2019",
                                                                          "Oct.3.2020"]),
    (DateRecognizer, "Clinic       Sep/30/2017\nrecheck (Jun-02-19)", ["Sep/30/2017", "Jun-02-19"]),
    (DateRecognizer, "OCT/RNFL 12; dec-3 units; Mar/Apr visits; 30/Sept", []),
    (DateRecognizer, "scan_07_Sep_2019_v2.pdf; Oct_3_20; 2018_Feb_11; 9\\Jan\\2020; Jun 4,2021",
     ["07_Sep_2019", "Oct_3_20", "2018_Feb_11", "9\\Jan\\2020", "Jun 4,2021"]),
    (DateRecognizer, "mar_4 notes; Dec_3_units; Jun 4,5 and 6", ["Jun 4"]),
    # (4) ages
    (AgeRecognizer, "AET. 96   aet 91; (93y); 97 Y   ROOM", ["96", "91", "93", "97"]),
    (AgeRecognizer, "Uma R (Rao, Uma), 95, Uma's pharmacy", ["95"]),
    (AgeRecognizer, "aet. 45; Kit (Rao), 12, Uma's; HR 95", []),
    # (5) hex-colon addresses with "::"
    (IpAddressRecognizer, "GPS fd3df1:fb8d:ad04::80a; from FD1BE:5311:54DA::6C4", ["fd3df1:fb8d:ad04::80a",
                                                                                 "FD1BE:5311:54DA::6C4"]),
    (IpAddressRecognizer, "time 10:30:15; ratio 2:1; Dx::Plan", []),
    # (6) fail-closed numbers: dotted groups (7+ digits), a number alone in a cell or column (5+ digits),
    # a site suffix or a one-capital prefix on a 7+ digit number, a short number glued to "#"
    (UniqueIdRecognizer, "Pt Ivo Rask   318.442.907   66 yo; | 40.118.52 |", ["318.442.907", "40.118.52"]),
    (UniqueIdRecognizer, "v 1.2.3; Na 139.5; 1.234 mg; 12.50.1", []),
    (UniqueIdRecognizer, "FORM LOG   47211   BAY 2\n| x | 88103 |\n|  4471 902  |", ["47211", "88103",
                                                                                 "4471 902"]),
    (UniqueIdRecognizer, "| 120/80 | 1234.56 | 0800 1400 | 98 120 80 | 12000 mg | 2021 |", []),
    (UniqueIdRecognizer, "| 03/10/1975 |  WBC 15000  |  CPT 99214  |", []),
    (UniqueIdRecognizer, "ref 4410733/KD; card Q:551874203; chart R 5518820)", ["4410733/KD", "Q:551874203",
                                                                                    "R 5518820"]),
    (UniqueIdRecognizer, "Plt 250000/uL; 1200000/mL; 5000000 cells/kg", []),
    (UniqueIdRecognizer, "entry #3317 and #582; box #09A", ["3317", "582"]),
    (UniqueIdRecognizer, "size #10 blade, #2 pencil, #3-0 silk", []),
    (UniqueIdRecognizer, "isolator PRX-5521-B; I-131 150 mCi; Tc-99m 25 mCi", ["PRX-5521-B"]),
    # (7) aircraft registrations: after an aircraft word, or an N-number with an aviation word near
    (VehicleIdRecognizer, "aircraft N7720K; tail # N41; pilot of N5518Q", ["N7720K", "N41", "N5518Q"]),
    (VehicleIdRecognizer, "N1234 alone; T2N1M0; N2 disease; N95 on flight", []),
    # (8) julian dates after a date word; ages after "patient <name>:"
    (DateRecognizer, "Julian date 21063; date code: 24366", ["21063", "24366"]),
    (DateRecognizer, "dated 21400; code 21063", []),
    (AgeRecognizer, "PATIENT ROE: 102, CHF; Resident Ann Vel: 94;", ["102", "94"]),
    (AgeRecognizer, "Patient Roe: 72, HTN; Patient Roe Na: 134; patient cl: 102", []),
    # (9) brackets as parentheses around an area code; a bracketed IPv6 address with its port
    (PhoneRecognizer, "home [702] 678-1232; fax [480]555-0199", ["[702] 678-1232", "[480]555-0199"]),
    (IpAddressRecognizer, "from [2001:db8:2805::1a59]:443; [12]:30", ["[2001:db8:2805::1a59]:443"]),
    (PhoneRecognizer, "c {702} 678-1232; h <480> 555-0199; w 314~555~0134", ["{702} 678-1232",
                                                                          "<480> 555-0199", "314~555~0134"]),
    # (10) any one separator between SSN groups, blanks around it too; odd joins of 7+ digits fail closed
    (SsnRecognizer, "pt 318/44/2907; 318 - 44 - 2907; 318~44~2907", ["318/44/2907", "318 - 44 - 2907",
                                                                       "318~44~2907"]),
    (SsnRecognizer, "000/12/3456; 12/14/2021; 123/45/67890", []),
    (UniqueIdRecognizer, "ref 2021|03|04; key 44:183:907", ["2021|03|04", "44:183:907"]),
    (UniqueIdRecognizer, "at 12:30:45; ratio 1:2:3; 5+10+20", []),
]


@pytest.mark.parametrize(
    "cls,text,expected",
    [pytest.param(c, t, e, id=f"{c.__name__}-{i}") for i, (c, t, e) in enumerate(GENERAL_SHAPES)],
)
def test_general_shapes(cls, text, expected):
    assert found(cls, text) == sorted(set(expected)), text


@pytest.mark.parametrize(
    "text,expected",
    [
        ("MISSED\u00a0DOSE 9/10; seen\u202f3/4/2021", ["9/10", "3/4/2021"]),  # exotic blanks read as blanks
        ("a 97\u00a0y/o; DOB\u00a03/4/1925\u2007 96", ["97", "3/4/1925", "96"]),
    ],
)
def test_engine_reads_exotic_blanks(text, expected):
    from medfl.privacy.deid.engine import Deidentifier

    spans = Deidentifier().analyze(text)
    assert [text[s:e] for s, e, _ in spans] == expected


# digit groups joined by "_", "\\" or a Unicode dash or slash are read as joined by "-" and "/" (one character
# for one, so spans index the original text); the same characters next to letters stay
@pytest.mark.parametrize(
    "text,expected",
    [
        ("SSN 318_44_2907; seen 3\\4\\2021", ["318_44_2907", "3\\4\\2021"]),
        ("file scan_2021_03_04.pdf; call 617_555_0134", ["2021_03_04", "617_555_0134"]),
        ("C:\\notes\\plan_b; grade_2 \\par", []),
        ("SSN 318\u201344\u20132907; DOB 3\u20444\u20441950; pain\u2014better", ["318\u201344\u20132907",
                                                                               "3\u20444\u20441950"]),
    ],
)
def test_engine_reads_digit_joins(text, expected):
    from medfl.privacy.deid.engine import Deidentifier

    spans = Deidentifier().analyze(text)
    assert [text[s:e] for s, e, _ in spans] == expected


# base.by_first_letter regroups a label alternation for speed; it must match exactly what the plain one does
_LABELS = r"mrn|mr\s?#|med\.?\s*rec(?:ord)?|e?mpi|(?:wrist|arm)band|acct|account(?:\s+no)?|a/c|x|p|pg|pager"


@pytest.mark.parametrize(
    "text",
    ["MRN 12; Mr # 4; MED REC 7; empi 3; mpi 9", "wristband 2, Armband; acct a/c Account no 5",
     "x4410 p 22 pg 7 Pager 1; unknown words only", "mrnx; prefixmrn; Acct."],
)
def test_by_first_letter_same_matches(text):
    import re

    from medfl.privacy.deid.recognizers.base import by_first_letter

    plain = re.compile(r"(?i:\b(?:" + _LABELS + r")(?![a-z]))")
    grouped = re.compile(r"(?i:\b(?:" + by_first_letter(_LABELS) + r")(?![a-z]))")
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]

"""The Party Charter's numbers, defined once (docs/domain.md, "Members and candidates" and
"Party organizations"); rules are written with these names, never with bare numbers."""

# Admission (kết nạp): 18 to 60 years old, counted in full months on the admission date.
MIN_ADMISSION_AGE_MONTHS = 18 * 12
MAX_ADMISSION_AGE_MONTHS = 60 * 12
# Probation (dự bị) lasts 12 months from admission before recognition as official.
PROBATION_MONTHS = 12
# A candidate's dossier older than this without admission is stale.
DOSSIER_STALE_MONTHS = 12
# A grassroots organization needs at least 3 official members.
MINIMUM_OFFICIAL = 3
# From 30 party members a grassroots cell should become a grassroots committee.
COMMITTEE_SIZE = 30

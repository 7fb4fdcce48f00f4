# English pages write dates the British way, as the guide's English texts do:
# "14 January 2016".
DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "d/m/Y"

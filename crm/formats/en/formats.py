# Dates and numbers in English (FORMAT_MODULE_PATH): "27 Nov 2026", never a day and a
# month a reader could swap.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

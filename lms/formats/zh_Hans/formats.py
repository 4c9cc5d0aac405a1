"""Django's zh_Hans formats, but a month and day read 9月5日: Django's own pads the month
(09月5日). Templates write dates with these names (DATE_FORMAT, MONTH_DAY_FORMAT), never
with 年月日 in the format, so English readers get English dates."""

MONTH_DAY_FORMAT = "n月j日"

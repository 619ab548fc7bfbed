"""Which format this is: the 2021 edition, its source, and the years a report may have."""

FORMAT_VERSION = "2021"
FORMAT_SOURCE = "国办公开办函〔2021〕30号"
#: The 2019 trial format (国办公开办函〔2019〕60号), still met in published reports: import
#: reads it (``variants``), nothing writes it.
TRIAL_FORMAT_SOURCE = "国办公开办函〔2019〕60号"
#: Report years: the 条例 came into force on 2008-05-01, so 2008 is the first report year.
MIN_YEAR = 2008
MAX_YEAR = 2100

"""The numbers the attainment rules are written in."""

from decimal import Decimal

# A target under the linear pace but within 20% of it is at risk; further behind, it is behind.
AT_RISK_SHARE = Decimal("0.8")
# The average month (365.25 / 12 days), for the pace still needed per month.
DAYS_PER_MONTH = Decimal("30.4375")

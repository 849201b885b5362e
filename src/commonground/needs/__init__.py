"""Needs: a commissioner's or funder's published intention, the organisations that match it, their
expressions of interest and the questions answered to all respondents at once (issue 15)."""

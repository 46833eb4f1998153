"""kematangan: declarative, explainable maturity scoring for community groups."""

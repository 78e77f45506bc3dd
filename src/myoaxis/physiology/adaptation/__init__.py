"""Training adaptation over weeks to years: performance models, muscle and ageing."""

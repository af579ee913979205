"""Analysis: pure functions of data (DataFrames in, typed results out)."""

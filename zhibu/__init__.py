"""Zhibu (支部): runs the year of a grassroots Party branch."""

"""Hostile and broken inputs: each ends in a clean error or a correct result."""

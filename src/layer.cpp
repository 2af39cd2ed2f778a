// Intentionally empty: gives every layer object library at least one source.

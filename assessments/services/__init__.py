"""Writes, split by process: questions (bank, versions, import), attempts (take, submit),
written work (assignments) and grading (hand-marking with audit)."""

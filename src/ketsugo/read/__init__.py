"""Reading a report: bytes → text, normalisation, dates and eras, items, legal bases, the report
parser and its typed records, metadata; reports as published (PDF, Excel, HTML) in read.sources.

Stage 1 of 7: imports only the top-level base modules (errors, paths, prefixes).
"""

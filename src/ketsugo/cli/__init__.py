"""The `ketsugo` command: the click group, the options every command shares, the one error
handler, the query/validate/link commands, the build summary and the language of messages.

Stage 7 of 7: may import every stage and the top-level modules (pipeline, api).
"""

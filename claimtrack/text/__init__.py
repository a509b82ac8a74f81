"""The text layer: pure work on text, with no database and no session.

Dates (:mod:`.dates`), figures (:mod:`.quantities`), names folded for lookups (:mod:`.names`), passages
anchored in a stored text (:mod:`.passages`), bytes read as text (:mod:`.decode`), saved documents read into
text and metadata (:mod:`.documents`), URLs that may become links (:mod:`.links`), and the candidate claims
proposed from a text (:mod:`.extract`). These modules import nothing of claimtrack's but each other, the
errors and the controlled vocabularies (and the input limit a document is read within):
``tests/test_structure.py`` checks it. Importing this package imports none of them.
"""

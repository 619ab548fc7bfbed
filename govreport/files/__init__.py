"""Files as a stage of their own: output written whole or not at all, nothing left behind.

``output`` writes every output file through a temporary file beside it and an
atomic rename, so a report is never half-written; ``lifetime`` removes what a
killed run left (work folders, temporary files) and makes workers end with their
batch. Every stage that writes a file uses these two; they read nothing above them.
"""

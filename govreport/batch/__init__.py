"""Many facts files at once: a city's or a province's reports in one command.

``discovery`` finds the facts files named and those in the folders named;
``runner`` checks or renders them on every core, each file reported as it is done;
``pdf_pool`` gives a batch's PDFs to kept LibreOffices; ``aggregate`` sums a
government's departments into its own tables and checks that they add up.
"""

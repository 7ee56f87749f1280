"""The explorer: 'what if we...?' for policy makers, answered in seconds in the browser.

``teamsim explore`` (:mod:`analysis.explorer.serve`) serves the page
(:mod:`analysis.explorer.app`) on 127.0.0.1; :mod:`analysis.explorer.scenario` computes a
scenario against the single-hire baseline on common random numbers.
"""

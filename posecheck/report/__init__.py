"""What people read and see: the overlay, the JSON/CSV report, the HTML page and its charts,
the history.
"""

"""The documents the portal prints: each builds its template's context from the database.

A builder reads everything it shows in a fixed number of queries, whatever the
number of forms or rows, and nothing in it depends on the clock but the
``as_of`` it is given: the same data, template version and ``as_of`` give the
same HTML, hence the same PDF bytes.
"""

"""Geography: gazetteer, borders, line of contact, distances in metres."""

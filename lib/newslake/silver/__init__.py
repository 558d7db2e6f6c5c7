"""Silver: clean text, sentences with sentiment, company and country mentions."""

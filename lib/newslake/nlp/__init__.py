"""Spark NLP pipeline builders and models."""

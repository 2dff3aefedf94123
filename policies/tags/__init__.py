"""The tagging rule for every taggable AWS resource."""

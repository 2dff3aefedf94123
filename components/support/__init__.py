"""What every component shares: argument checking, the AWS account context, tags."""

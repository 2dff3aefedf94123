from shapes import Keys, key_later

Keys("payments")
key_later("orphan")

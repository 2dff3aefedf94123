from store import Store

Store("store")

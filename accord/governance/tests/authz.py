EXPECTATIONS: list = []

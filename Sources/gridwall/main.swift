print("gridwall")

# The original clone's example: a calculator that reads two numbers from argv and prints
# "op: value" pairs on one line. Deploy with --handler cloud.calculator and call
#   GET /api/function/{userId}/cloud.calculator/sandbox?a=10&b=5
import sys


def calculator(a, b):
    return {
        "add": a + b,
        "subtract": a - b,
        "multiply": a * b,
        "divide": a / b if b != 0 else "undefined",
        "remainder": a % b if b != 0 else "undefined",
    }


if __name__ == "__main__":
    try:
        x, y = float(sys.argv[1]), float(sys.argv[2])
    except (IndexError, ValueError):
        print("usage: cloud.py NUMBER NUMBER")
        sys.exit(1)
    for name, value in calculator(x, y).items():
        print(f"{name}: {value}", end=" ")

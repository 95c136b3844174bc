import Testing
import ModelintExecutor

/// Expected strings are Python 3's `repr(float)` (and `str(int)` for integer literals).
@Suite struct PythonNumberFormatTests {
    @Test(arguments: [
        (1.5, "1.5"), (-0.1, "-0.1"), (1e-05, "1e-05"), (0.0001, "0.0001"), (1.5e-05, "1.5e-05"),
        (1e16, "1e+16"), (1e15, "1000000000000000.0"), (123456789.0, "123456789.0"), (0.0, "0.0"),
        (-0.0, "-0.0"), (2.0, "2.0"), (1e-08, "1e-08"), (0.001, "0.001"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (Double.leastNonzeroMagnitude, "5e-324"), (12345678901234567890.0, "1.2345678901234567e+19"), (Double.nan, "nan"), (-Double.infinity, "-inf"),
    ])
    func floatRepr(_ value: Double, _ expected: String) {
        #expect(PythonNumberFormat.repr(value) == expected)
    }

    @Test func integerLiteralsPrintAsIntegers() {
        #expect(PythonNumber(2, isInteger: true).description == "2")
        #expect(PythonNumber(-1, isInteger: true).description == "-1")
        #expect(PythonNumber(2).description == "2.0")
    }
}

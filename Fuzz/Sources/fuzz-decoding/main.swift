import CFuzzer
import DecodingFuzzTarget
import Foundation

// libFuzzer's command line (corpus folders, -max_total_time, ...) goes to its driver as it came.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in emoscanFuzzDecoding(data!, size) })

// libFuzzer calls `LLVMFuzzerTestOneInput`, which `DecodingFuzzTarget` defines.
import DecodingFuzzTarget

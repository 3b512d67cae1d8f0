// Deliberately not MLIR: iree-compile must fail.
func.func @broken(%a: tensor<4xf32> -> {

// Module B (the main module, loaded last) of the two-module quality test.
// It declares module A's export as an external function and calls it;
// iree-run-module resolves the import when both modules are loaded:
//   --module=activations.vmfb --module=pipeline.vmfb --function=run
module @pipeline {
  // Provided by module @activations (activations.mlir).
  func.func private @activations.softsign(tensor<8xf32>) -> tensor<8xf32>

  // run(x, bias) = softsign(2 * x) + bias
  func.func @run(%x: tensor<8xf32>, %bias: tensor<8xf32>) -> tensor<8xf32> {
    %two = arith.constant dense<2.0> : tensor<8xf32>
    %x2 = arith.mulf %x, %two : tensor<8xf32>
    %s = call @activations.softsign(%x2) : (tensor<8xf32>) -> tensor<8xf32>
    %y = arith.addf %s, %bias : tensor<8xf32>
    return %y : tensor<8xf32>
  }
}

// y = x @ w + b + c, with weights that are named parameters of three element
// types in the "model" scope: w (f16), b (bf16) and c (i32).
//
// The test runs it on a *splat* archive that iree-suite generates from this
// file ({"type": "splat", "value": 2.0}): every element of w, b and c is 2,
// so y[i][j] = 2 * sum(x[i]) + 2 + 2. expected_output.py computes the
// expected output independently with numpy.
module @splat_affine {
  util.global private @w = #stream.parameter.named<"model"::"w"> : tensor<4x3xf16>
  util.global private @b = #stream.parameter.named<"model"::"b"> : tensor<3xbf16>
  util.global private @c = #stream.parameter.named<"model"::"c"> : tensor<3xi32>

  func.func @forward(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
    %w = util.global.load @w : tensor<4x3xf16>
    %b = util.global.load @b : tensor<3xbf16>
    %c = util.global.load @c : tensor<3xi32>
    %zero = arith.constant 0.0 : f32

    // Widen w to f32, then x @ w.
    %w_empty = tensor.empty() : tensor<4x3xf32>
    %w32 = linalg.generic {
        indexing_maps = [affine_map<(k, j) -> (k, j)>, affine_map<(k, j) -> (k, j)>],
        iterator_types = ["parallel", "parallel"]}
        ins(%w : tensor<4x3xf16>) outs(%w_empty : tensor<4x3xf32>) {
      ^bb0(%in: f16, %out: f32):
        %e = arith.extf %in : f16 to f32
        linalg.yield %e : f32
    } -> tensor<4x3xf32>
    %y_empty = tensor.empty() : tensor<2x3xf32>
    %y_zero = linalg.fill ins(%zero : f32) outs(%y_empty : tensor<2x3xf32>) -> tensor<2x3xf32>
    %xw = linalg.matmul ins(%x, %w32 : tensor<2x4xf32>, tensor<4x3xf32>)
                        outs(%y_zero : tensor<2x3xf32>) -> tensor<2x3xf32>

    // + b (bf16) + c (i32), both widened to f32.
    %y = linalg.generic {
        indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>,
                         affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>],
        iterator_types = ["parallel", "parallel"]}
        ins(%xw, %b, %c : tensor<2x3xf32>, tensor<3xbf16>, tensor<3xi32>)
        outs(%y_empty : tensor<2x3xf32>) {
      ^bb0(%v: f32, %bias: bf16, %count: i32, %out: f32):
        %bias32 = arith.extf %bias : bf16 to f32
        %count32 = arith.sitofp %count : i32 to f32
        %s = arith.addf %v, %bias32 : f32
        %t = arith.addf %s, %count32 : f32
        linalg.yield %t : f32
    } -> tensor<2x3xf32>
    return %y : tensor<2x3xf32>
  }
}

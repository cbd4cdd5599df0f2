// A small function of nn and arith/math ops for the actc-interp tests.
func.func @small(%x: tensor<?x3xf32> {nn.name = "x"}, %s: tensor<3xf32> {nn.name = "s"})
    -> (tensor<?x3xf32> {nn.name = "y"}, tensor<?x3xf32> {nn.name = "z"}) {
  %a = nn.add %x, %s : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %y = nn.sigmoid %a : tensor<?x3xf32>
  %e = math.exp %x : tensor<?x3xf32>
  %z = nn.softplus %e : tensor<?x3xf32>
  return %y, %z : tensor<?x3xf32>, tensor<?x3xf32>
}

func.func @identity(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  return %x : tensor<?x?xf32>
}

func.func @with_param(%x: tensor<2xf32>) -> tensor<2xf32> {
  %w = nn.param "p.weight" : tensor<2xf32>
  %y = nn.mul %x, %w : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

func.func @identity4(%x: tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32> {
  return %x : tensor<?x?x?x?xf32>
}

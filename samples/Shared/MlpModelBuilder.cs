using Google.Protobuf;
using Onnx;

namespace MicroBatching.Samples;

/// <summary>
/// Writes a multilayer perceptron as an ONNX graph with seeded weights: input [batch, inputs] → (MatMul, Add, Relu) per
/// hidden layer → MatMul, Add → output [batch, outputs]. The batch dimension is dynamic, so one Run can score any number
/// of rows. Built in code, so the samples need no model file and no download.
/// </summary>
public static class MlpModelBuilder
{
    public const string InputName = "input";
    public const string OutputName = "output";

    public static byte[] Build(int inputs, int[] hidden, int outputs, int seed = 42)
    {
        var random = new Random(seed);
        var graph = new GraphProto { Name = "mlp" };
        graph.Input.Add(Tensor(InputName, inputs));
        graph.Output.Add(Tensor(OutputName, outputs));

        string current = InputName;
        int width = inputs;
        int[] layers = [.. hidden, outputs];
        for (int layer = 0; layer < layers.Length; layer++)
        {
            bool last = layer == layers.Length - 1;
            string weights = $"w{layer}", bias = $"b{layer}", product = $"mm{layer}", sum = last ? OutputName : $"add{layer}";
            graph.Initializer.Add(Weights(weights, [width, layers[layer]], random, scale: MathF.Sqrt(2f / width)));
            graph.Initializer.Add(Weights(bias, [layers[layer]], random, scale: 0.01f));
            graph.Node.Add(Node("MatMul", [current, weights], product));
            graph.Node.Add(Node("Add", [product, bias], sum));
            if (!last)
            {
                graph.Node.Add(Node("Relu", [sum], $"relu{layer}"));
                current = $"relu{layer}";
            }

            width = layers[layer];
        }

        var model = new ModelProto { IrVersion = 8, ProducerName = "MicroBatching samples", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model.ToByteArray();
    }

    private static ValueInfoProto Tensor(string name, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static TensorProto Weights(string name, long[] dims, Random random, float scale)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        long count = dims.Aggregate(1L, (a, b) => a * b);
        for (long i = 0; i < count; i++)
        {
            tensor.FloatData.Add((float)(random.NextDouble() * 2 - 1) * scale);
        }

        return tensor;
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }
}

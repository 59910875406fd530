using System.Collections;

namespace BindingService.AliyunSimulator.Responses;

/// <summary>
/// An ordered set of response fields that renders to JSON or XML alike (<see cref="ResponseWriter"/>). A value is a
/// string, a bool, an int or long, a nested <see cref="ResponseBody"/>, or a list of those (an array in JSON, a
/// repeated element in XML). Null values are left out, which is how optional fields are "omitted".
/// Collection-initialiser friendly: <c>new ResponseBody { { "SubsId", id }, { "SecretNo", x } }</c>.
/// </summary>
public sealed class ResponseBody : IEnumerable<KeyValuePair<string, object>>
{
    private readonly List<KeyValuePair<string, object>> fields = [];

    public void Add(string name, object? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (value is null)
        {
            return;
        }

        if (value is not (string or bool or int or long or ResponseBody or IReadOnlyList<object>))
        {
            throw new ArgumentException($"Field {name}: {value.GetType().Name} is not a response value type.", nameof(value));
        }

        fields.Add(new(name, value));
    }

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

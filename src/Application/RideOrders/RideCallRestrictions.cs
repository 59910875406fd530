using BindingService.Domain.Bindings;

namespace BindingService.Application.RideOrders;

/// <summary>A ride's call restriction in ride words: the passenger is A, the driver is B.</summary>
public static class RideCallRestrictions
{
    public const string None = "none";
    public const string PassengerCannotCall = "passengerCannotCall";
    public const string DriverCannotCall = "driverCannotCall";

    public static string Name(CallRestriction restriction) => restriction switch
    {
        CallRestriction.PartyACannotCall => PassengerCannotCall,
        CallRestriction.PartyBCannotCall => DriverCannotCall,
        _ => None,
    };

    public static bool TryParse(string? name, out CallRestriction restriction)
    {
        (var ok, restriction) = name switch
        {
            None => (true, CallRestriction.None),
            PassengerCannotCall => (true, CallRestriction.PartyACannotCall),
            DriverCannotCall => (true, CallRestriction.PartyBCannotCall),
            _ => (false, CallRestriction.None),
        };
        return ok;
    }
}

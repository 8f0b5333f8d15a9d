import Button, { ButtonProps } from '@material-ui/core/Button';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  outlined: {
    color: theme.palette.error.main,
    borderColor: theme.palette.error.main,
  },
  contained: {
    color: theme.palette.error.contrastText,
    backgroundColor: theme.palette.error.main,
    '&:hover': { backgroundColor: theme.palette.error.dark },
  },
}));

/**
 * A button for what cannot be undone (dropping a compatibility layer and its backup):
 * Material UI v4 has no error colour for buttons, so it draws itself in the theme's
 * error palette and a person sees the difference before reading the confirmation.
 */
export const DangerButton = ({
  variant = 'outlined',
  className,
  ...props
}: Omit<ButtonProps, 'color'> & { variant?: 'outlined' | 'contained' }) => {
  const classes = useStyles();
  return (
    <Button
      {...props}
      variant={variant}
      className={[className, classes[variant]].filter(Boolean).join(' ')}
    />
  );
};
